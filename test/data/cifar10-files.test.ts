// CIFAR-10 from bytes in memory (a reader's picked files, or fetched by a page) decodes as Node reads the
// folder, with errors that name the file and the fix; the browser's openCifar10 fetches from its base URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cifar10FromFiles, CIFAR10_RECORD } from '../../src/data/cifar10-decode.ts';
import { readCifar10 } from '../../src/data/cifar10.ts';
import { CIFAR10_SAMPLE } from '../../src/data/locate.ts';
import { dataBase, openCifar10, setDataBase } from '../../src/data/open-cifar10-browser.ts';

const FOLDER = join(CIFAR10_SAMPLE, 'cifar-10-batches-bin');
const file = (name: string) => ({ name, bytes: new Uint8Array(readFileSync(join(FOLDER, name))) });

test('picked files decode to the images, labels and checksums that reading the folder gives', () => {
  const node = readCifar10(CIFAR10_SAMPLE);
  const picked = cifar10FromFiles([file('test_batch.bin'), file('batches.meta.txt'), file('data_batch_1.bin')]);
  for (const part of ['train', 'test'] as const) {
    assert.equal(picked[part].count, node[part].count);
    assert.deepEqual(picked[part].labels, node[part].labels);
    assert.deepEqual(picked[part].images, node[part].images);
  }
  assert.deepEqual(
    picked.files.map((f) => f.sha256),
    node.files.map((f) => f.sha256),
  );
  assert.deepEqual(picked.classes, node.classes);
});

test('a wrong size, a missing test batch or no training batch is an error naming the file and the fix', () => {
  const train = file('data_batch_1.bin');
  const cut = { name: 'test_batch.bin', bytes: file('test_batch.bin').bytes.subarray(0, CIFAR10_RECORD + 5) };
  assert.throws(() => cifar10FromFiles([train, cut]), /test_batch\.bin: 3078 bytes is not a whole number of CIFAR-10/);
  assert.throws(() => cifar10FromFiles([train]), /test_batch\.bin is missing \(data_batch_1\.bin\)\. Pick the files/);
  assert.throws(() => cifar10FromFiles([file('test_batch.bin')]), /no data_batch_N\.bin among test_batch\.bin/);
  const bad = { name: 'test_batch.bin', bytes: new Uint8Array(CIFAR10_RECORD).fill(12) };
  assert.throws(() => cifar10FromFiles([train, bad]), /record 0 has label 12/);
});

test("a page's openCifar10 fetches the batches present under its data base", async (t) => {
  const served: string[] = [];
  t.mock.method(globalThis, 'fetch', async (url: URL) => {
    served.push(String(url));
    const name = String(url).replace('http://reader.example/export/data/cifar10/', '');
    try {
      return new Response(readFileSync(join(FOLDER, name)));
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
  setDataBase('http://reader.example/export/data/cifar10');
  assert.equal(String(dataBase()), 'http://reader.example/export/data/cifar10/');
  const data = await openCifar10();
  assert.equal(data.train.count, readCifar10(CIFAR10_SAMPLE).train.count);
  assert.equal(data.files[0].path, 'http://reader.example/export/data/cifar10/data_batch_1.bin');
  assert.ok(
    served.some((u) => u.endsWith('data_batch_5.bin')),
    'absent batches are asked for and skipped',
  );
  setDataBase('http://reader.example/elsewhere/');
  await assert.rejects(openCifar10(), /no data at http:\/\/reader\.example\/elsewhere\/.*setDataBase\(url\)/);
});
