/**
 * CommonJS entry that piscina loads in each worker. Piscina first `require()`s its worker file;
 * on Node 20 that half-loads an ES module graph holding a top-level await and the `import()`
 * that follows then trips an internal assertion. A CommonJS file sidesteps both.
 */
import type { ScoreOutcome, ScoreTask } from '../pool/protocol.js';

module.exports = async function run(task: ScoreTask): Promise<ScoreOutcome> {
  const worker = await import('./score-file.js');
  return worker.default(task);
};
