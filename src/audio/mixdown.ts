/**
 * Mono from any number of channels, as the models were trained (train/aviary_train/data.py).
 *
 * The mean rather than the sum: a mono source recorded on both channels (or an MP3 decoder that
 * duplicates mono) keeps its level instead of doubling, the result stays within [-1, 1], and the
 * spectrogram in dB does not shift with the channel count.
 *
 * Non-finite samples (NaN, ±Inf, from a broken float WAV) count as 0 in the mean and are counted,
 * so the log can say how many there were; one of them would otherwise turn a whole window's
 * spectrogram into NaN.
 */
export interface MonoAudio {
  /** [nSamples], at the input's sample rate. */
  samples: Float32Array;
  /** How many channel samples were NaN or infinite and taken as 0. */
  nonFinite: number;
}

/**
 * channels: [nChannels][nSamples] → [nSamples]; an empty channel list gives no samples.
 * A single channel is cleaned in place and returned as it is, not copied: for a long mono file
 * the copy was as large as the decoded audio (460 MB for an hour at 32 kHz).
 */
export function mixToMono(channels: Float32Array[]): MonoAudio {
  if (channels.length === 1) {
    const only = channels[0];
    let nonFinite = 0;
    for (let i = 0; i < only.length; i++) {
      if (!Number.isFinite(only[i])) {
        only[i] = 0;
        nonFinite++;
      }
    }
    return { samples: only, nonFinite };
  }
  // Channels of one file have one length; should a decoder ever differ, keep the common part.
  const n = channels.length === 0 ? 0 : Math.min(...channels.map((c) => c.length));
  const out = new Float32Array(n);
  let nonFinite = 0;
  for (const ch of channels) {
    for (let i = 0; i < n; i++) {
      const v = ch[i];
      if (Number.isFinite(v)) out[i] += v;
      else nonFinite++;
    }
  }
  if (channels.length > 1) {
    const scale = 1 / channels.length;
    for (let i = 0; i < n; i++) out[i] *= scale;
  }
  return { samples: out, nonFinite };
}
