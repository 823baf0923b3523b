// A folder where a data file should be (a CIFAR-10 batch, a Penn Treebank text, an image in a class
// folder) is named as a folder, through `ednas search --data` as a user meets it, and through the readers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCifar10 } from '../../src/data/cifar10.ts';
import { readPtb } from '../../src/data/ptb.ts';
import { scanImageFolder } from '../../src/data/image-folder.ts';
import { tempDir, writeCifarFixture, writePtbFixture } from '../helpers/fixtures.ts';

const bin = new URL('../../bin/ednas.js', import.meta.url).pathname;

test('a folder in place of a CIFAR-10 batch, a PTB text or an image is named as a folder', () => {
  const root = tempDir();
  const { folder } = writeCifarFixture(root, 1, 20, 1);
  for (const name of ['test_batch.bin', 'data_batch_1.bin', 'batches.meta.txt']) {
    const path = join(folder, name);
    rmSync(path);
    mkdirSync(path);
    assert.throws(
      () => readCifar10(root),
      new RegExp(`${name.replace('.', '\\.')} is a folder, where a CIFAR-10 data file should be a file`),
    );
    rmSync(path, { recursive: true });
    writeCifarFixture(root, 1, 20, 1);
  }
  rmSync(join(folder, 'test_batch.bin'));
  mkdirSync(join(folder, 'test_batch.bin'));
  const r = spawnSync(
    process.execPath,
    [bin, 'search', '--preset', 'quick', '--data', root, '--out', join(root, 'run')],
    { encoding: 'utf8', timeout: 120_000 },
  );
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^ednas search: .*test_batch\.bin is a folder, where a CIFAR-10 data file should be a file/);

  const ptb = writePtbFixture(root, 1);
  rmSync(join(ptb, 'ptb.valid.txt'));
  mkdirSync(join(ptb, 'ptb.valid.txt'));
  assert.throws(() => readPtb(ptb), /ptb\.valid\.txt is a folder, where a Penn Treebank text file should be a file/);

  const images = join(root, 'images');
  mkdirSync(join(images, 'cat', 'a.jpg'), { recursive: true });
  writeFileSync(join(images, 'cat', 'b.jpg'), 'x');
  assert.throws(
    () => scanImageFolder(images),
    /cat\/a\.jpg is a folder named like an image; a class folder holds image files/,
  );
});
