import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AviaryError } from '../../src/errors.js';
import { openSession, probeBackends } from '../../src/inference/backend.js';
import { OPENVINO_LIB_ENV } from '../../src/inference/locate-openvino.js';
import {
  loadTinyIo,
  loadTinyModel,
  maxAbsDiff,
  openVinoCMissing,
  sigmoid,
  spectrogramBatch,
  tinyModelMissing,
} from './helpers.js';

const PROBABILITY_TOLERANCE = 1e-4;
const noModel = tinyModelMissing();
const noOpenVino = await openVinoCMissing();

async function withEnv<T>(name: string, value: string, body: () => Promise<T>): Promise<T> {
  const before = process.env[name];
  process.env[name] = value;
  try {
    return await body();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}

test(
  'OpenVINO and ONNX Runtime give the same probabilities on the same windows',
  { skip: noModel ?? noOpenVino ?? false },
  async () => {
    const manifest = await loadTinyModel();
    const io = loadTinyIo(manifest);
    const size = manifest.input.shape[2] * manifest.input.shape[3];
    const batches: [Float32Array, number][] = [
      [io.inputs, io.batchSize],
      [spectrogramBatch(8, size, 3), 8],
    ];
    const ov = await openSession(manifest, { backend: 'openvino', threads: 1 });
    const ort = await openSession(manifest, { backend: 'onnxruntime', threads: 1 });
    try {
      assert.equal(ov.nClasses, manifest.labels.length);
      assert.equal(ort.nClasses, manifest.labels.length);
      for (const [batch, n] of batches) {
        const a = sigmoid(await ov.run(batch, n));
        const b = sigmoid(await ort.run(batch, n));
        assert.ok(
          maxAbsDiff(a, b) <= PROBABILITY_TOLERANCE,
          `batch of ${n}: max |Δp| ${maxAbsDiff(a, b)}`,
        );
      }
    } finally {
      ov.close();
      ort.close();
    }
  },
);

test(
  'auto opens OpenVINO when its library is present',
  { skip: noModel ?? noOpenVino ?? false },
  async () => {
    const session = await openSession(await loadTinyModel(), { backend: 'auto', threads: 1 });
    session.close();
    assert.equal(session.backend, 'openvino-c');
  },
);

test(
  '--backend openvino with a bad library path fails with E_BACKEND naming the path',
  { skip: noModel ?? false },
  async () => {
    const manifest = await loadTinyModel();
    await withEnv(OPENVINO_LIB_ENV, '/nonexistent', async () => {
      await assert.rejects(
        openSession(manifest, { backend: 'openvino', threads: 1 }),
        (err: unknown) => {
          assert.ok(err instanceof AviaryError);
          assert.equal(err.code, 'E_BACKEND');
          assert.match(err.message, /\/nonexistent/);
          assert.match(err.message, /openvino-node not installed/);
          assert.match(err.hint ?? '', new RegExp(OPENVINO_LIB_ENV));
          return true;
        },
      );
    });
  },
);

test(
  'auto falls back to ONNX Runtime when the OpenVINO library is missing',
  { skip: noModel ?? false },
  async () => {
    const manifest = await loadTinyModel();
    const session = await withEnv(OPENVINO_LIB_ENV, '/nonexistent', () =>
      openSession(manifest, { backend: 'auto', threads: 1 }),
    );
    session.close();
    assert.equal(session.backend, 'onnxruntime');
  },
);

test(
  'a model without an IR cannot be opened with --backend openvino, and auto uses ONNX Runtime',
  { skip: noModel ?? false },
  async () => {
    const manifest = await loadTinyModel();
    const noIr = { ...manifest, files: { onnx: manifest.files.onnx } };
    await assert.rejects(
      openSession(noIr, { backend: 'openvino', threads: 1 }),
      (err: unknown) =>
        err instanceof AviaryError &&
        err.code === 'E_MODEL_FILE' &&
        err.message.includes('files.openvino'),
    );
    const session = await openSession(noIr, { backend: 'auto', threads: 1 });
    session.close();
    assert.equal(session.backend, 'onnxruntime');
  },
);

test(
  'a bad backend name or thread count is refused with E_USAGE before anything loads',
  { skip: noModel ?? false },
  async () => {
    const manifest = await loadTinyModel();
    const isUsage = (err: unknown) => err instanceof AviaryError && err.code === 'E_USAGE';
    await assert.rejects(
      openSession(manifest, { backend: 'tensorflow' as never, threads: 1 }),
      isUsage,
    );
    await assert.rejects(openSession(manifest, { backend: 'auto', threads: 0 }), isUsage);
    await assert.rejects(openSession(manifest, { backend: 'auto', threads: 1.5 }), isUsage);
  },
);

test('probeBackends lists openvino-node, openvino-c and onnxruntime with what it found', async () => {
  const statuses = await probeBackends();
  assert.deepEqual(
    statuses.map((s) => s.name),
    ['openvino-node', 'openvino-c', 'onnxruntime'],
  );
  const [node, c, ort] = statuses;
  // openvino-node is an optional dependency that cannot install offline.
  if (!node.available) assert.match(node.detail, /openvino-node not installed|openvino-node/);
  if (noOpenVino) {
    assert.equal(c.available, false);
    assert.match(c.detail, /make train-setup/);
  } else {
    assert.equal(c.available, true);
    assert.match(c.detail, /^OpenVINO \d{4}\.\d+\.\d+.* C API at .*libopenvino_c/);
    if (!node.available) assert.match(node.detail, /using the OpenVINO C API instead$/);
  }
  assert.equal(ort.available, true);
  assert.match(ort.detail, /^onnxruntime-node \d+\.\d+\.\d+ at .*onnxruntime-node$/);
});

test('probeBackends reports a bad AVIARY_OPENVINO_LIB with the path and the fix', async () => {
  const statuses = await withEnv(OPENVINO_LIB_ENV, '/nonexistent', () => probeBackends());
  const c = statuses.find((s) => s.name === 'openvino-c');
  assert.equal(c?.available, false);
  assert.match(c?.detail ?? '', /\/nonexistent/);
  assert.match(c?.detail ?? '', /make train-setup/);
});
