/**
 * Bench line 3, "front-end only": decode → mono → resample → spectrograms of every window, on the
 * main thread alone, so its time is one core's time. It follows src/worker/score-file.ts step
 * for step (one resampling per distinct model rate, one spectrogram per distinct front-end) and
 * keeps the spectrograms it computes: they are the precomputed inputs of the model-only line.
 *
 * Stages are timed in process CPU seconds, not wall seconds: nothing else in the process works
 * meanwhile, and CPU time does not count the time other programs on a loaded machine take.
 */
import { decodeAudioFile } from '../audio/decode.js';
import { mixToMono } from '../audio/mixdown.js';
import { resample } from '../audio/resample.js';
import { extractWindow, planWindows } from '../audio/windows.js';
import { frontendKey, inputSamples } from '../features/frontend-config.js';
import { MelSpectrogram } from '../features/melspec.js';
import type { ModelManifest } from '../models/manifest.js';

/** One recording's model inputs, per front-end key: `[nWindows, 1, nMels, nFrames]` row-major. */
export interface PrecomputedFile {
  source: string;
  durationSec: number;
  nWindows: number;
  /** Backed by SharedArrayBuffers, so worker threads read them without a copy. */
  images: Record<string, Float32Array>;
}

export interface FrontendStageResult {
  files: PrecomputedFile[];
  audioSec: number;
  /** Process CPU seconds per stage. */
  decodeSec: number;
  resampleSec: number;
  spectrogramSec: number;
}

function cpuSecSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
}

export async function runFrontendStage(
  sources: string[],
  models: ModelManifest[],
  opts: { windowSec: number; hopSec: number },
): Promise<FrontendStageResult> {
  const result: FrontendStageResult = {
    files: [],
    audioSec: 0,
    decodeSec: 0,
    resampleSec: 0,
    spectrogramSec: 0,
  };
  const spectrograms = new Map<string, MelSpectrogram>();
  const rates = [...new Set(models.map((m) => m.frontend.sampleRateHz))];
  for (const source of sources) {
    let t0 = process.cpuUsage();
    const decoded = await decodeAudioFile(source);
    const { samples } = mixToMono(decoded.channels);
    result.decodeSec += cpuSecSince(t0);
    const plan = planWindows(samples.length, decoded.sampleRateHz, opts);
    const file: PrecomputedFile = {
      source,
      durationSec: samples.length / decoded.sampleRateHz,
      nWindows: plan.length,
      images: {},
    };
    for (const rate of rates) {
      t0 = process.cpuUsage();
      const audio = await resample(samples, decoded.sampleRateHz, rate);
      result.resampleSec += cpuSecSince(t0);
      for (const m of models.filter((x) => x.frontend.sampleRateHz === rate)) {
        const key = frontendKey(m.frontend);
        if (file.images[key]) continue;
        let spec = spectrograms.get(key);
        if (!spec) {
          spec = new MelSpectrogram(m.frontend);
          spectrograms.set(key, spec);
        }
        const nInput = inputSamples(m.frontend);
        const context = Math.round(m.frontend.contextSec * rate);
        const imageSize = spec.nMels * spec.nFrames(nInput);
        const images = new Float32Array(new SharedArrayBuffer(plan.length * imageSize * 4));
        t0 = process.cpuUsage();
        for (const [j, w] of plan.entries()) {
          const first = Math.round((w.startSample / decoded.sampleRateHz) * rate);
          const excerpt = extractWindow(audio, first, nInput - 2 * context, context);
          spec.compute(excerpt, images.subarray(j * imageSize, (j + 1) * imageSize));
        }
        result.spectrogramSec += cpuSecSince(t0);
        file.images[key] = images;
      }
    }
    result.audioSec += file.durationSec;
    result.files.push(file);
  }
  return result;
}
