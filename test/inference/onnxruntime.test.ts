import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AviaryError } from '../../src/errors.js';
import { openSession } from '../../src/inference/backend.js';
import {
  BATCH_TOLERANCE,
  LOGIT_TOLERANCE,
  loadTinyIo,
  loadTinyModel,
  maxAbsDiff,
  spectrogramBatch,
  tinyModelMissing,
} from './helpers.js';

const skip = tinyModelMissing() ?? false;

test('ONNX Runtime gives the PyTorch logits of the tiny model', { skip }, async () => {
  const manifest = await loadTinyModel();
  const io = loadTinyIo(manifest);
  const session = await openSession(manifest, { backend: 'onnxruntime', threads: 1 });
  try {
    assert.equal(session.backend, 'onnxruntime');
    const out = await session.run(io.inputs, io.batchSize);
    assert.ok(
      maxAbsDiff(out, io.logits) <= LOGIT_TOLERANCE,
      `max |Δ| ${maxAbsDiff(out, io.logits)}`,
    );
  } finally {
    session.close();
  }
});

test(
  'ONNX Runtime batches of 1, 3 and 8 give each window the logits it gets alone',
  { skip },
  async () => {
    const manifest = await loadTinyModel();
    const size = manifest.input.shape[2] * manifest.input.shape[3];
    const windows = spectrogramBatch(8, size, 11);
    const session = await openSession(manifest, { backend: 'onnxruntime', threads: 2 });
    try {
      const n = session.nClasses;
      const alone: Float32Array[] = [];
      for (let i = 0; i < 8; i++)
        alone.push(await session.run(windows.subarray(i * size, (i + 1) * size), 1));
      for (const batchSize of [1, 3, 8]) {
        const out = await session.run(windows.subarray(0, batchSize * size), batchSize);
        for (let i = 0; i < batchSize; i++) {
          assert.ok(
            maxAbsDiff(out.subarray(i * n, (i + 1) * n), alone[i]) <= BATCH_TOLERANCE,
            `batch ${batchSize} row ${i}`,
          );
        }
      }
      assert.ok(maxAbsDiff(alone[0], alone[1]) > 1e-6);
    } finally {
      session.close();
    }
  },
);

test(
  'choosing onnxruntime for a model without an .onnx fails with E_MODEL_FILE naming it',
  { skip },
  async () => {
    const manifest = await loadTinyModel();
    const noOnnx = { ...manifest, files: { ...manifest.files, onnx: undefined } };
    await assert.rejects(
      openSession(noOnnx, { backend: 'onnxruntime', threads: 1 }),
      (err: unknown) =>
        err instanceof AviaryError &&
        err.code === 'E_MODEL_FILE' &&
        err.message.includes('files.onnx'),
    );
  },
);
