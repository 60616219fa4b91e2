/**
 * Worker thread of the model-only line: it holds compiled models and the precomputed
 * spectrograms (shared memory, no copy) and, for each recording it is handed, runs every model
 * over that recording's windows in batches, exactly as src/worker/score-file.ts does after its
 * front-end. Nothing but inference and the batch copies is timed here.
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { frontendKey } from '../features/frontend-config.js';
import { InferenceSession, openSession } from '../inference/backend.js';
import type { ModelOnlyInit, ModelOnlyReply, ModelOnlyTask } from './model-only-protocol.js';

const init = workerData as ModelOnlyInit;
const port = parentPort!;

async function start(): Promise<InferenceSession[]> {
  const t0 = performance.now();
  const sessions = await Promise.all(
    init.models.map((m) =>
      openSession(m, { backend: init.backend, threads: init.threadsPerWorker }),
    ),
  );
  const reply: ModelOnlyReply = {
    type: 'ready',
    backend: sessions[0]?.backend ?? 'none',
    compileMs: performance.now() - t0,
  };
  port.postMessage(reply);
  return sessions;
}

async function runTask(sessions: InferenceSession[], task: ModelOnlyTask): Promise<ModelOnlyReply> {
  const file = init.files[task.fileIndex];
  const inferenceMs: Record<string, number> = {};
  for (const [i, m] of init.models.entries()) {
    const images = file.images[frontendKey(m.frontend)];
    const imageSize = images.length / file.nWindows;
    const out = new Float32Array(file.nWindows * sessions[i].nClasses);
    for (let start = 0; start < file.nWindows; start += init.batchSize) {
      const n = Math.min(init.batchSize, file.nWindows - start);
      const t0 = performance.now();
      // slice() gives each call its own ordinary array, as the pipeline's fresh batch array does.
      const batch = images.slice(start * imageSize, (start + n) * imageSize);
      out.set(await sessions[i].run(batch, n), start * sessions[i].nClasses);
      inferenceMs[m.name] = (inferenceMs[m.name] ?? 0) + performance.now() - t0;
    }
  }
  return { type: 'done', taskIndex: task.taskIndex, inferenceMs };
}

const ready = start();
ready.catch((err: Error) =>
  port.postMessage({ type: 'failed', message: err.message } satisfies ModelOnlyReply),
);
port.on('message', (task: ModelOnlyTask) => {
  ready
    .then((sessions) => runTask(sessions, task))
    .then((reply) => port.postMessage(reply))
    .catch((err: Error) =>
      port.postMessage({ type: 'failed', message: err.message } satisfies ModelOnlyReply),
    );
});
