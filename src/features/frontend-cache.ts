import { frontendKey, type FrontendConfig } from './frontend-config.js';
import { MelSpectrogram } from './melspec.js';

/**
 * Models whose manifests give the same front-end share one spectrogram per window: an ensemble
 * of students trained on one recipe costs one FFT pass, not one per model.
 */

export interface FrontendGroup {
  /** `frontendKey` of the shared config. */
  key: string;
  cfg: FrontendConfig;
  /** Model names in the order they were given. */
  models: string[];
  spectrogram: MelSpectrogram;
}

export class FrontendSet {
  /** One group per distinct config, in order of first appearance. */
  readonly groups: readonly FrontendGroup[];
  readonly #byModel = new Map<string, FrontendGroup>();

  /** Builds one MelSpectrogram per distinct config; throws E_MANIFEST as MelSpectrogram does. */
  constructor(configs: ReadonlyMap<string, FrontendConfig>) {
    const byKey = new Map<string, FrontendGroup>();
    for (const [model, cfg] of configs) {
      const key = frontendKey(cfg);
      let group = byKey.get(key);
      if (group === undefined) {
        group = { key, cfg, models: [], spectrogram: new MelSpectrogram(cfg) };
        byKey.set(key, group);
      }
      group.models.push(model);
      this.#byModel.set(model, group);
    }
    this.groups = [...byKey.values()];
  }

  /** The group that computes `model`'s input, or undefined for a model not in the set. */
  groupOf(model: string): FrontendGroup | undefined {
    return this.#byModel.get(model);
  }
}
