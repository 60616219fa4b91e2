import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FrontendConfig } from '../../src/features/frontend-config.js';
import { MelSpectrogram } from '../../src/features/melspec.js';
import { frontend, maxAbsDiff, noise } from './helpers.js';

/**
 * A slow, dense re-derivation of docs/manifest.md steps 1–4 straight from its formulas (direct
 * DFT, full filterbank matrix, explicit index arithmetic for the padding), sharing no code with
 * src/features, to check the fast path on small configs until and beside the Python fixtures.
 */
function referenceDb(cfg: FrontendConfig, x: Float32Array): { db: number[][]; nFrames: number } {
  const half = Math.floor(cfg.nFft / 2);
  const pad = cfg.center ? half : 0;
  const n = x.length;
  const at = (j: number): number => {
    if (j >= 0 && j < n) return x[j];
    if (cfg.padMode === 'constant') return 0;
    let r = j;
    while (r < 0 || r >= n) r = r < 0 ? -r : 2 * (n - 1) - r;
    return x[r];
  };
  const nFrames = 1 + Math.floor((n + 2 * pad - cfg.nFft) / cfg.hopLength);
  const nFreqs = half + 1;
  const left = Math.floor((cfg.nFft - cfg.winLength) / 2);
  const [a, b] = cfg.window === 'hann' ? [0.5, 0.5] : [0.54, 0.46];
  const win = (i: number): number => {
    const j = i - left;
    return j >= 0 && j < cfg.winLength ? a - b * Math.cos((2 * Math.PI * j) / cfg.winLength) : 0;
  };
  const mel = (f: number): number =>
    cfg.melScale === 'htk'
      ? 2595 * Math.log10(1 + f / 700)
      : f < 1000
        ? f / (200 / 3)
        : 15 + Math.log(f / 1000) / (Math.log(6.4) / 27);
  const hz = (m: number): number =>
    cfg.melScale === 'htk'
      ? 700 * (Math.pow(10, m / 2595) - 1)
      : m < 15
        ? m * (200 / 3)
        : 1000 * Math.exp((m - 15) * (Math.log(6.4) / 27));
  const m0 = mel(cfg.fMinHz);
  const m1 = mel(cfg.fMaxHz);
  const f = Array.from({ length: cfg.nMels + 2 }, (_, i) =>
    hz(m0 + ((m1 - m0) * i) / (cfg.nMels + 1)),
  );
  const db: number[][] = Array.from({ length: cfg.nMels }, () =>
    new Array<number>(nFrames).fill(0),
  );
  for (let t = 0; t < nFrames; t++) {
    const power: number[] = [];
    for (let k = 0; k < nFreqs; k++) {
      let re = 0;
      let im = 0;
      for (let i = 0; i < cfg.nFft; i++) {
        const v = at(t * cfg.hopLength - pad + i) * win(i);
        re += v * Math.cos((2 * Math.PI * k * i) / cfg.nFft);
        im -= v * Math.sin((2 * Math.PI * k * i) / cfg.nFft);
      }
      const mag = Math.hypot(re, im);
      power.push(cfg.power === 2 ? mag * mag : mag);
    }
    for (let m = 0; m < cfg.nMels; m++) {
      let s = 0;
      for (let k = 0; k < nFreqs; k++) {
        const fk = (k * cfg.sampleRateHz) / 2 / (nFreqs - 1);
        let w = Math.max(
          0,
          Math.min((fk - f[m]) / (f[m + 1] - f[m]), (f[m + 2] - fk) / (f[m + 2] - f[m + 1])),
        );
        if (cfg.melNorm === 'slaney') w *= 2 / (f[m + 2] - f[m]);
        s += w * power[k];
      }
      db[m][t] = cfg.toDb ? (cfg.power === 2 ? 10 : 20) * Math.log10(Math.max(s, cfg.amin)) : s;
    }
  }
  if (cfg.toDb && cfg.topDb !== null) {
    const top = Math.max(...db.flat()) - cfg.topDb;
    for (const row of db) for (let t = 0; t < nFrames; t++) row[t] = Math.max(row[t], top);
  }
  return { db, nFrames };
}

const cases: Record<string, Record<string, unknown>> = {
  'hann, HTK, power, centred reflect': {},
  'hamming, Slaney scale and norm, magnitude, top_db': {
    window: 'hamming',
    mel_scale: 'slaney',
    mel_norm: 'slaney',
    power: 1,
    top_db: 40,
    f_min: 150,
  },
  'short window inside n_fft, constant padding': {
    win_length: 100,
    pad_mode: 'constant',
    hop_length: 50,
  },
  'uncentred frames, 44.1 kHz, f_max below Nyquist': {
    center: false,
    sample_rate: 44100,
    f_max: 15000,
    n_fft: 256,
    win_length: 200,
    hop_length: 97,
  },
  'mel energies without dB': { to_db: false, n_mels: 12 },
};

for (const [name, overrides] of Object.entries(cases)) {
  test(`the fast front-end matches a direct DFT and dense filterbank: ${name}`, () => {
    const cfg = frontend({ n_fft: 128, win_length: 128, hop_length: 64, n_mels: 20, ...overrides });
    const x = noise(700, 5);
    const spec = new MelSpectrogram(cfg);
    const { db, nFrames } = referenceDb(cfg, x);
    assert.equal(spec.nFrames(x.length), nFrames);
    const got = spec.computeDb(x);
    const scale = cfg.toDb ? 1 : Math.max(...db.flat());
    assert.ok(maxAbsDiff(got, db.flat()) / scale < 1e-9);
  });
}
