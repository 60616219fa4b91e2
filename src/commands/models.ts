import { performance } from 'node:perf_hooks';
import { describeError } from '../errors.js';
import { frameCount, inputSamples } from '../features/frontend-config.js';
import { BackendChoice, openSession, probeBackends } from '../inference/backend.js';
import { loadModels } from '../models/registry.js';
import { EXIT, exitCodeFor } from './exit-codes.js';

export interface ModelsCliOptions {
  modelsDir: string;
  check: boolean;
}

const out = (line: string) => process.stdout.write(`${line}\n`);

/** Lists what is in the models folder; with --check, runs each model once per backend. */
export async function modelsCommand(o: ModelsCliOptions): Promise<number> {
  try {
    const models = await loadModels(o.modelsDir, { includeTeachers: true });
    for (const m of models) {
      const f = m.frontend;
      const files = [m.files.openvino && 'openvino', m.files.onnx && 'onnx'].filter(Boolean).join('+');
      out(
        `${m.name}  ${m.role}  ${m.architecture}  weight ${m.weight}  ${m.labels.length} labels  ${files}  ` +
          `${f.sampleRateHz} Hz, n_fft ${f.nFft}, hop ${f.hopLength}, ${f.nMels} mels → [1, ${f.nMels}, ${frameCount(f, inputSamples(f))}]`,
      );
    }
    const statuses = await probeBackends();
    for (const s of statuses) out(`backend ${s.name}: ${s.available ? 'available' : 'unavailable'} — ${s.detail}`);
    if (!o.check) return EXIT.ok;
    let failed = 0;
    const choices: BackendChoice[] = ['openvino', 'onnxruntime'];
    for (const m of models) {
      const image = m.frontend.nMels * m.input.shape[3];
      for (const backend of choices) {
        const [file, format] = backend === 'openvino' ? [m.files.openvino, 'IR'] : [m.files.onnx, 'ONNX file'];
        if (!file) {
          out(`check ${m.name} on ${backend}: skipped (the model ships no ${format})`);
          continue;
        }
        try {
          const session = await openSession(m, { backend, threads: 1 });
          const t0 = performance.now();
          const result = await session.run(new Float32Array(image), 1);
          const ms = performance.now() - t0;
          session.close();
          const finite = result.every(Number.isFinite);
          if (!finite || result.length !== m.labels.length) failed++;
          out(`check ${m.name} on ${session.backend}: ${result.length} outputs, ${finite ? 'finite' : 'NOT FINITE'}, ${ms.toFixed(1)} ms`);
        } catch (err) {
          out(`check ${m.name} on ${backend}: ${describeError(err)}`);
        }
      }
    }
    return failed > 0 ? EXIT.setup : EXIT.ok;
  } catch (err) {
    process.stderr.write(`aviary models: ${describeError(err)}\n`);
    return exitCodeFor(err);
  }
}
