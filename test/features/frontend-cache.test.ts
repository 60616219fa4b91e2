import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AviaryError } from '../../src/errors.js';
import { FrontendSet } from '../../src/features/frontend-cache.js';
import { frontend, noise } from './helpers.js';

test('models with identical front-ends share one spectrogram and others get their own', () => {
  const a = frontend();
  const set = new FrontendSet(
    new Map([
      ['student_a', a],
      ['teacher', frontend({ n_mels: 64 })],
      // A separately parsed but equal config still joins student_a's group.
      ['student_b', frontend()],
    ]),
  );
  assert.equal(set.groups.length, 2);
  assert.deepEqual(set.groups[0].models, ['student_a', 'student_b']);
  assert.deepEqual(set.groups[1].models, ['teacher']);
  assert.equal(set.groupOf('student_b'), set.groups[0]);
  assert.equal(set.groupOf('teacher')!.spectrogram.nMels, 64);
  assert.equal(set.groupOf('missing'), undefined);
  const x = noise(16000);
  assert.deepEqual(set.groups[0].spectrogram.compute(x), set.groups[0].spectrogram.compute(x));
});

test('a set containing a front-end fft.js cannot run is refused when it is built', () => {
  assert.throws(
    () => new FrontendSet(new Map([['odd', frontend({ n_fft: 500, win_length: 500 })]])),
    (err: unknown) => err instanceof AviaryError && err.code === 'E_MANIFEST',
  );
});
