import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frameCount, parseFrontendConfig } from '../src/features/frontend-config.js';
import { AviaryError } from '../src/errors.js';

const base = {
  sample_rate: 32000, window_sec: 5, context_sec: 0, n_fft: 1024, win_length: 1024, hop_length: 640,
  window: 'hann', center: true, pad_mode: 'reflect', n_mels: 64, f_min: 50, f_max: 14000,
  mel_scale: 'slaney', mel_norm: 'slaney', power: 2, to_db: true, amin: 1e-10, top_db: 80,
  normalize: 'minmax',
};

test('a centred 5 s window at 32 kHz with hop 640 has 251 frames', () => {
  const cfg = parseFrontendConfig(base, 'm');
  assert.equal(frameCount(cfg, 160000), 251);
  assert.equal(frameCount({ ...cfg, center: false }, 160000), 249);
});

test('a bad front-end field is refused with the field, the value and the rule', () => {
  assert.throws(
    () => parseFrontendConfig({ ...base, n_fft: 0 }, 'models/x/manifest.json'),
    (err: unknown) =>
      err instanceof AviaryError && err.code === 'E_MANIFEST' && /frontend\.n_fft is 0/.test(err.message),
  );
  assert.throws(() => parseFrontendConfig({ ...base, f_max: 20000 }, 'm'), /frontend\.f_max/);
  assert.throws(() => parseFrontendConfig({ ...base, win_length: 2048 }, 'm'), /win_length/);
});
