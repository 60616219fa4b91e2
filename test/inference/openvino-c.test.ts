import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AviaryError } from '../../src/errors.js';
import { openSession, type InferenceSession } from '../../src/inference/backend.js';
import {
  BATCH_TOLERANCE,
  LOGIT_TOLERANCE,
  loadTinyIo,
  loadTinyModel,
  maxAbsDiff,
  openVinoCMissing,
  spectrogramBatch,
  tinyModelMissing,
} from './helpers.js';

// openvino-node is not installed here, so `--backend openvino` takes the C API route.
const skip = tinyModelMissing() ?? (await openVinoCMissing()) ?? false;

async function openC(threads = 1): Promise<InferenceSession> {
  const session = await openSession(await loadTinyModel(), { backend: 'openvino', threads });
  assert.equal(session.backend, 'openvino-c');
  return session;
}

test('the OpenVINO C API gives the PyTorch logits of the tiny model', { skip }, async () => {
  const io = loadTinyIo(await loadTinyModel());
  const session = await openC();
  try {
    assert.equal(session.device, 'CPU');
    const out = await session.run(io.inputs, io.batchSize);
    assert.equal(out.length, io.logits.length);
    assert.ok(
      maxAbsDiff(out, io.logits) <= LOGIT_TOLERANCE,
      `max |Δ| ${maxAbsDiff(out, io.logits)}`,
    );
  } finally {
    session.close();
  }
});

test(
  'batches of 1, 3 and 8 windows give each window the logits it gets alone',
  { skip },
  async () => {
    const manifest = await loadTinyModel();
    const [, , nMels, nFrames] = manifest.input.shape;
    const size = nMels * nFrames;
    const windows = spectrogramBatch(8, size);
    const session = await openC(2);
    try {
      const alone: Float32Array[] = [];
      for (let i = 0; i < 8; i++)
        alone.push(await session.run(windows.subarray(i * size, (i + 1) * size), 1));
      for (const batchSize of [3, 8, 1]) {
        const out = await session.run(windows.subarray(0, batchSize * size), batchSize);
        assert.equal(out.length, batchSize * session.nClasses);
        for (let i = 0; i < batchSize; i++) {
          const row = out.subarray(i * session.nClasses, (i + 1) * session.nClasses);
          assert.ok(
            maxAbsDiff(row, alone[i]) <= BATCH_TOLERANCE,
            `batch ${batchSize} row ${i}: ${maxAbsDiff(row, alone[i])}`,
          );
        }
      }
      // Different windows must give different logits, or the comparison above proves nothing.
      assert.ok(maxAbsDiff(alone[0], alone[1]) > 1e-6);
    } finally {
      session.close();
    }
  },
);

test('concurrent runs on one OpenVINO session are queued, not interleaved', { skip }, async () => {
  const io = loadTinyIo(await loadTinyModel());
  const session = await openC();
  try {
    const size = io.inputs.length / io.batchSize;
    const [first, second] = await Promise.all([
      session.run(io.inputs.subarray(0, size), 1),
      session.run(io.inputs.subarray(size, 2 * size), 1),
    ]);
    const n = session.nClasses;
    assert.ok(maxAbsDiff(first, io.logits.subarray(0, n)) <= LOGIT_TOLERANCE);
    assert.ok(maxAbsDiff(second, io.logits.subarray(n, 2 * n)) <= LOGIT_TOLERANCE);
  } finally {
    session.close();
  }
});

test(
  'a batch of the wrong length and a run after close are refused with E_INFERENCE',
  { skip },
  async () => {
    const session = await openC();
    const isInference = (err: unknown) => err instanceof AviaryError && err.code === 'E_INFERENCE';
    await assert.rejects(session.run(new Float32Array(10), 1), isInference);
    session.close();
    session.close();
    await assert.rejects(session.run(new Float32Array(10), 1), isInference);
  },
);
