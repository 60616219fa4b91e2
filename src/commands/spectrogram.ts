import { decodeAudioFile } from '../audio/decode.js';
import { mixToMono } from '../audio/mixdown.js';
import { resample } from '../audio/resample.js';
import { extractWindow, planWindows } from '../audio/windows.js';
import { describeError } from '../errors.js';
import { inputSamples } from '../features/frontend-config.js';
import { MelSpectrogram } from '../features/melspec.js';
import { loadModels } from '../models/registry.js';
import { writeNpy } from '../output/npy.js';
import { EXIT, exitCodeFor } from './exit-codes.js';

export interface SpectrogramCliOptions {
  model: string;
  out: string;
  modelsDir: string;
  window: number;
  hop: number;
}

/** Writes exactly what the worker feeds the model, window by window, for side-by-side checks. */
export async function spectrogramCommand(file: string, o: SpectrogramCliOptions): Promise<number> {
  try {
    const [model] = await loadModels(o.modelsDir, { names: [o.model] });
    const cfg = model.frontend;
    const decoded = await decodeAudioFile(file);
    const { samples } = mixToMono(decoded.channels);
    const audio = await resample(samples, decoded.sampleRateHz, cfg.sampleRateHz);
    const plan = planWindows(samples.length, decoded.sampleRateHz, { windowSec: o.window, hopSec: o.hop });
    const spec = new MelSpectrogram(cfg);
    const nInput = inputSamples(cfg);
    const context = Math.round(cfg.contextSec * cfg.sampleRateHz);
    const nFrames = spec.nFrames(nInput);
    const image = spec.nMels * nFrames;
    const out = new Float32Array(plan.length * image);
    for (const [j, w] of plan.entries()) {
      const first = Math.round((w.startSample / decoded.sampleRateHz) * cfg.sampleRateHz);
      spec.compute(extractWindow(audio, first, nInput - 2 * context, context), out.subarray(j * image, (j + 1) * image));
    }
    await writeNpy(o.out, out, [plan.length, 1, spec.nMels, nFrames]);
    process.stderr.write(`wrote ${o.out}: [${plan.length}, 1, ${spec.nMels}, ${nFrames}] for model ${model.name}\n`);
    return EXIT.ok;
  } catch (err) {
    process.stderr.write(`aviary spectrogram: ${describeError(err)}\n`);
    return exitCodeFor(err);
  }
}
