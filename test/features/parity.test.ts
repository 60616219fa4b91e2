import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseFrontendConfig } from '../../src/features/frontend-config.js';
import { MelSpectrogram } from '../../src/features/melspec.js';
import { maxAbsDiff } from './helpers.js';

/**
 * Parity with the Python front-end: each `test/fixtures/frontend/*.json` holds a config, its
 * audio and the Python side's output. The fixtures are committed, so a missing or empty folder
 * is a failure, not a skip.
 *
 * Tolerances: 1e-3 dB before normalisation (the contract), 1e-4 after it. Normalised values are
 * O(1): minmax divides dB by a range of tens of dB and standard by a std of several dB, so a
 * dB error of e shows up as at most about 2e / range (minmax) or e / std (standard); 1e-4 holds
 * while both sides agree to well under 1e-3 dB, which float64 against float32 does.
 */
const DB_TOLERANCE = 1e-3;
const NORMALISED_TOLERANCE = 1e-4;

// Compiled, this file runs from dist/test/features/, three levels below the repository root.
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fixtureDir = join(repoRoot, 'test', 'fixtures', 'frontend');

interface Fixture {
  name: string;
  config: unknown;
  audio: number[];
  expected: number[][];
  expected_db?: number[][];
  n_mels: number;
  n_frames: number;
}

const files = existsSync(fixtureDir)
  ? readdirSync(fixtureDir)
      .filter((f) => f.endsWith('.json'))
      .sort()
  : [];

test('the front-end parity fixtures written by the Python side are present', () => {
  assert.ok(files.length > 0, `no *.json fixtures in ${fixtureDir}; they are committed by train/`);
});

for (const file of files) {
  test(`the TypeScript front-end reproduces the Python fixture ${file}`, () => {
    const fx = JSON.parse(readFileSync(join(fixtureDir, file), 'utf8')) as Fixture;
    const cfg = parseFrontendConfig(fx.config, file);
    const spec = new MelSpectrogram(cfg);
    const audio = Float32Array.from(fx.audio);
    assert.equal(spec.nMels, fx.n_mels);
    assert.equal(spec.nFrames(audio.length), fx.n_frames);
    assert.equal(fx.expected.length, fx.n_mels);

    if (cfg.toDb) {
      assert.ok(fx.expected_db, `${file}: to_db is true but expected_db is missing`);
      const dbDiff = maxAbsDiff(spec.computeDb(audio), fx.expected_db.flat());
      assert.ok(dbDiff <= DB_TOLERANCE, `${file} (${fx.name}): dB differ by up to ${dbDiff}`);
    }
    const expected = fx.expected.flat();
    const diff = maxAbsDiff(spec.compute(audio), expected);
    // Unnormalised output is dB (the dB tolerance) or raw mel energies (relative to the largest).
    let limit = NORMALISED_TOLERANCE;
    if (cfg.normalize === 'none') {
      limit = cfg.toDb ? DB_TOLERANCE : NORMALISED_TOLERANCE * Math.max(...expected.map(Math.abs));
    }
    assert.ok(
      diff <= limit,
      `${file} (${fx.name}): output differs by up to ${diff} (limit ${limit})`,
    );
  });
}
