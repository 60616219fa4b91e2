import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { discoverAudioFiles } from '../../src/audio/discover.js';
import { AviaryError } from '../../src/errors.js';
import { tempDir } from '../helpers/wav-writer.js';

test('finds top-level recordings of every extension in any case, sorted by code unit', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const names = [
      'b.ogg',
      'B.WAV',
      'a.flac',
      'c.Mp3',
      'd.oga',
      '_x.wav',
      'Z.wav',
      'é.wav',
      'a10.wav',
      'a9.wav',
    ];
    for (const n of [...names, 'notes.txt', 'cover.jpg', 'noext', '.hidden.wav', '._b.ogg']) {
      await writeFile(path.join(dir, n), 'x');
    }
    await mkdir(path.join(dir, 'sub'));
    await writeFile(path.join(dir, 'sub', 'deep.wav'), 'x');
    await mkdir(path.join(dir, 'folder.wav'));
    const found = await discoverAudioFiles(dir);
    // Code-unit order: upper case before '_' before lower case, 'a10' before 'a9', 'é' last.
    const expected = [
      'B.WAV',
      'Z.wav',
      '_x.wav',
      'a.flac',
      'a10.wav',
      'a9.wav',
      'b.ogg',
      'c.Mp3',
      'd.oga',
      'é.wav',
    ];
    assert.deepEqual(
      found,
      expected.map((n) => path.join(dir, n)),
    );
    assert.ok(found.every((f) => path.isAbsolute(f)));
  } finally {
    await cleanup();
  }
});

test('a relative input folder gives absolute paths', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await writeFile(path.join(dir, 'one.wav'), 'x');
    const found = await discoverAudioFiles(path.relative(process.cwd(), dir));
    assert.deepEqual(found, [path.join(dir, 'one.wav')]);
  } finally {
    await cleanup();
  }
});

test('a missing input folder fails with E_INPUT_MISSING naming it and how to point elsewhere', async () => {
  const missing = path.join(path.sep, 'no', 'such', 'aviary-input');
  await assert.rejects(discoverAudioFiles(missing), (err: unknown) => {
    assert.ok(err instanceof AviaryError);
    assert.equal(err.code, 'E_INPUT_MISSING');
    assert.ok(err.message.includes(missing));
    assert.match(err.describe(), /--input DIR/);
    assert.match(err.describe(), /make submit INPUT=DIR/);
    return true;
  });
});

test('a file given as the input folder fails with E_INPUT_MISSING', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = path.join(dir, 'a.wav');
    await writeFile(file, 'x');
    await assert.rejects(discoverAudioFiles(file), { code: 'E_INPUT_MISSING' });
  } finally {
    await cleanup();
  }
});

test('a folder without recordings fails with E_NO_AUDIO listing the extensions looked for', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await writeFile(path.join(dir, 'readme.txt'), 'x');
    await writeFile(path.join(dir, '.hidden.wav'), 'x');
    await assert.rejects(discoverAudioFiles(dir), (err: unknown) => {
      assert.ok(err instanceof AviaryError);
      assert.equal(err.code, 'E_NO_AUDIO');
      assert.ok(err.message.includes(dir));
      for (const ext of ['.wav', '.ogg', '.oga', '.flac', '.mp3'])
        assert.ok(err.message.includes(ext));
      return true;
    });
  } finally {
    await cleanup();
  }
});
