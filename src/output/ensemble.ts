import { AviaryError } from '../errors.js';

/** The floor under each probability before its log, so a model that says 0 cannot make the
 * geometric mean -Infinity (and 0 for every other model's vote). */
export const GEOMETRIC_FLOOR = 1e-7;

/**
 * The logistic function, stable for any finite x: exp is only ever taken of a non-positive
 * number, so it never overflows; sigmoid(-1000) is 0 and sigmoid(1000) is 1, never NaN.
 */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** One model's scores for the windows of one file, and how they map to the output labels. */
export interface ModelScores {
  /** [nWindows, nModelClasses], row-major, in the model's own label order. */
  probs: Float32Array;
  /** `logits` are passed through the sigmoid first; `probabilities` are used as they are. */
  kind: 'logits' | 'probabilities';
  /** Relative weight in the mean (> 0); weights need not sum to 1. */
  weight: number;
  /** For each output label j, the column of `probs` that holds it (from `alignModels`). */
  columnIndex: number[];
  /** Named in errors; defaults to the model's position in the list. */
  name?: string;
}

export type EnsembleMode = 'mean' | 'geometric';

/**
 * Combines the models' per-window scores into one [nWindows, nLabels] probability array.
 * - `mean`: the weighted arithmetic mean of the probabilities, `sum(w p) / sum(w)`.
 * - `geometric`: the weighted geometric mean, `exp(sum(w ln max(p, 1e-7)) / sum(w))`, computed in
 *   log space so a product of many small numbers never underflows.
 * Probabilities given by a model are clamped to [0, 1] first (float rounding can leave 1.0000001).
 * Sums run in float64. A non-finite score (a NaN from a broken model) is an E_INFERENCE error
 * naming the model, window and label, because averaging it would silently poison the output.
 */
export function combineModels(
  perModel: ModelScores[],
  nWindows: number,
  nLabels: number,
  mode: EnsembleMode,
): Float32Array {
  if (perModel.length === 0) {
    throw new AviaryError('E_USAGE', 'the ensemble has no models', 'give at least one model');
  }
  if (mode !== 'mean' && mode !== 'geometric') {
    throw new AviaryError('E_USAGE', `ensemble mode ${JSON.stringify(mode)} is unknown`, 'use "mean" or "geometric"');
  }
  if (!Number.isInteger(nWindows) || nWindows < 0 || !Number.isInteger(nLabels) || nLabels < 0) {
    throw new AviaryError('E_USAGE', `nWindows ${nWindows} and nLabels ${nLabels} must be non-negative integers`);
  }

  let weightSum = 0;
  const nClasses = perModel.map((model, m) => {
    const name = modelName(model, m);
    if (!(Number.isFinite(model.weight) && model.weight > 0)) {
      throw new AviaryError('E_USAGE', `model ${name} has weight ${model.weight}; a weight must be a finite number > 0`);
    }
    if (model.kind !== 'logits' && model.kind !== 'probabilities') {
      throw new AviaryError('E_USAGE', `model ${name} has output kind ${JSON.stringify(model.kind)}; expected "logits" or "probabilities"`);
    }
    weightSum += model.weight;
    if (model.columnIndex.length !== nLabels) {
      throw new AviaryError('E_USAGE', `model ${name} maps ${model.columnIndex.length} columns, expected ${nLabels} (one per output label)`);
    }
    if (nWindows === 0) return 0;
    const classes = model.probs.length / nWindows;
    if (!Number.isInteger(classes)) {
      throw new AviaryError('E_INFERENCE', `model ${name} returned ${model.probs.length} scores, not a multiple of ${nWindows} windows`);
    }
    for (const col of model.columnIndex) {
      if (!Number.isInteger(col) || col < 0 || col >= classes) {
        throw new AviaryError('E_USAGE', `model ${name} maps an output label to column ${col}, outside its ${classes} classes`);
      }
    }
    return classes;
  });

  const out = new Float32Array(nWindows * nLabels);
  const acc = new Float64Array(nLabels);
  for (let t = 0; t < nWindows; t++) {
    acc.fill(0);
    for (let m = 0; m < perModel.length; m++) {
      const model = perModel[m];
      const row = t * nClasses[m];
      for (let j = 0; j < nLabels; j++) {
        const col = model.columnIndex[j];
        const raw = model.probs[row + col];
        if (!Number.isFinite(raw)) {
          throw new AviaryError(
            'E_INFERENCE',
            `model ${modelName(model, m)} gave a non-finite score (${raw}) at window ${t}, class column ${col}`,
            'the model or its backend is broken; check it with the model checker or leave it out',
          );
        }
        const p = model.kind === 'logits' ? sigmoid(raw) : Math.min(1, Math.max(0, raw));
        acc[j] += mode === 'mean' ? model.weight * p : model.weight * Math.log(Math.max(p, GEOMETRIC_FLOOR));
      }
    }
    for (let j = 0; j < nLabels; j++) {
      out[t * nLabels + j] = mode === 'mean' ? acc[j] / weightSum : Math.exp(acc[j] / weightSum);
    }
  }
  return out;
}

function modelName(model: ModelScores, m: number): string {
  return model.name !== undefined ? `"${model.name}"` : `#${m + 1}`;
}
