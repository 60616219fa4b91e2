import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  findLibraryIn,
  locateOpenVinoC,
  OPENVINO_LIB_ENV,
} from '../../src/inference/locate-openvino.js';

function folderWith(names: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'aviary-ov-'));
  for (const name of names) writeFileSync(path.join(dir, name), '');
  return dir;
}

test('a folder with several versioned C libraries yields the newest, and the bare name wins', () => {
  const versioned = folderWith([
    'libopenvino.so.2641',
    'libopenvino_c.so.2541',
    'libopenvino_c.so.2641',
    'libopenvino_c.so.2641.txt',
  ]);
  const bare = folderWith(['libopenvino_c.so.2641', 'libopenvino_c.so']);
  try {
    assert.equal(findLibraryIn(versioned), path.join(versioned, 'libopenvino_c.so.2641'));
    assert.equal(findLibraryIn(bare), path.join(bare, 'libopenvino_c.so'));
    assert.equal(findLibraryIn(path.join(versioned, 'missing')), null);
  } finally {
    rmSync(versioned, { recursive: true });
    rmSync(bare, { recursive: true });
  }
});

test('AVIARY_OPENVINO_LIB naming a file or a folder is used as is', async () => {
  const dir = folderWith(['libopenvino_c.so.2641']);
  try {
    const file = path.join(dir, 'libopenvino_c.so.2641');
    assert.equal((await locateOpenVinoC({ [OPENVINO_LIB_ENV]: file })).libraryPath, file);
    const viaFolder = await locateOpenVinoC({ [OPENVINO_LIB_ENV]: dir });
    assert.equal(viaFolder.libraryPath, file);
    assert.equal(viaFolder.fromEnv, true);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('a wrong AVIARY_OPENVINO_LIB is reported, not bypassed by the other places', async () => {
  const empty = folderWith([]);
  mkdirSync(path.join(empty, 'sub'));
  try {
    const found = await locateOpenVinoC({ [OPENVINO_LIB_ENV]: empty });
    assert.equal(found.libraryPath, null);
    assert.deepEqual(found.searched, [`${OPENVINO_LIB_ENV}=${empty}`]);
  } finally {
    rmSync(empty, { recursive: true });
  }
});

test('without the variable the repository .venv is searched first', async () => {
  const found = await locateOpenVinoC({});
  assert.match(
    found.searched[0],
    /\.venv[\\/]lib[\\/]python3[^\\/]*[\\/]site-packages[\\/]openvino[\\/]libs$/,
  );
  assert.equal(found.fromEnv, false);
  if (found.libraryPath) assert.match(path.basename(found.libraryPath), /^libopenvino_c/);
});
