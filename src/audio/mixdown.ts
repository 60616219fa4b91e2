/**
 * Mono from any number of channels. The mean rather than the sum: a mono source recorded on both
 * channels keeps its level, and the result stays in [-1, 1]. Non-finite samples (NaN, ±Inf, from
 * a broken float WAV) become 0 and are counted, so the log can say how many there were.
 */
export function mixToMono(channels: Float32Array[]): { samples: Float32Array; nonFinite: number } {
  const n = channels[0]?.length ?? 0;
  const out = new Float32Array(n);
  let nonFinite = 0;
  const scale = 1 / Math.max(1, channels.length);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (const ch of channels) {
      const v = ch[i];
      if (Number.isFinite(v)) sum += v;
      else nonFinite++;
    }
    out[i] = sum * scale;
  }
  return { samples: out, nonFinite };
}
