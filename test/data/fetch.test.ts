// Downloads against a local HTTP server the test runs: success, a corrupt archive, a broken-off body and an
// unreachable host all end in either the complete data set or nothing at all.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tar from 'tar';
import { fetchCifar10, fetchPtb } from '../../src/data/fetch.ts';
import { readCifar10 } from '../../src/data/cifar10.ts';
import { readPtb } from '../../src/data/ptb.ts';
import { DataError } from '../../src/data/errors.ts';
import { tempDir, writeCifarFixture } from '../helpers/fixtures.ts';
import { SEED } from '../helpers/random.ts';

const root = tempDir();
writeCifarFixture(join(root, 'src'), 2, 10, SEED);
const archive = join(root, 'cifar-10-binary.tar.gz');
await tar.c({ gzip: true, file: archive, cwd: join(root, 'src') }, ['cifar-10-batches-bin']);
const archiveBytes = readFileSync(archive);
const md5 = createHash('md5').update(archiveBytes).digest('hex');
const ptbText: Record<string, string> = {
  'ptb.train.txt': ' a b c\n b c d\n',
  'ptb.valid.txt': ' a x\n',
  'ptb.test.txt': ' d\n',
};

const server: Server = createServer((req, res) => {
  if (req.url === '/cifar.tar.gz') return res.end(archiveBytes);
  if (req.url === '/cut.tar.gz') {
    res.writeHead(200, { 'content-length': String(archiveBytes.length) });
    res.write(archiveBytes.subarray(0, 100));
    return setTimeout(() => res.destroy(), 20);
  }
  const ptb = req.url?.match(/^\/ptb\/(ptb\.\w+\.txt)$/);
  if (ptb && ptbText[ptb[1]]) return res.end(ptbText[ptb[1]]);
  res.writeHead(404).end();
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
after(() => server.close());
const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

test('downloads, verifies and unpacks the CIFAR-10 archive, leaving only the data folder', async () => {
  const dir = join(tempDir(), 'cifar10');
  const progress: number[] = [];
  assert.equal(
    await fetchCifar10(dir, {
      url: `${base}/cifar.tar.gz`,
      checksum: { algorithm: 'md5', hex: md5 },
      onProgress: (_f, r) => progress.push(r),
    }),
    true,
  );
  assert.deepEqual(readdirSync(dir), ['cifar-10-batches-bin']);
  assert.equal(readCifar10(dir).train.count, 20);
  assert.equal(progress.at(-1), archiveBytes.length);
  assert.equal(await fetchCifar10(dir, { url: `${base}/missing` }), false, 'present data is not downloaded again');
});

test('a checksum mismatch keeps nothing', async () => {
  const dir = join(tempDir(), 'cifar10');
  await assert.rejects(
    fetchCifar10(dir, { url: `${base}/cifar.tar.gz`, checksum: { algorithm: 'md5', hex: '0'.repeat(32) } }),
    (e: Error) => e instanceof DataError && /has md5 [0-9a-f]{32}, expected 0{32}.*Nothing was kept/.test(e.message),
  );
  assert.equal(existsSync(dir), false);
});

test('a body that breaks off keeps nothing', async () => {
  const parent = tempDir();
  await assert.rejects(
    fetchCifar10(join(parent, 'c'), { url: `${base}/cut.tar.gz`, checksum: null }),
    /broke off after 100 bytes|ended after 100 of/,
  );
  assert.deepEqual(readdirSync(parent), []);
});

test('an unreachable server is a clear error that says what to do by hand, and leaves nothing', async () => {
  const parent = tempDir();
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as { port: number }).port;
  await new Promise((r) => closed.close(r));
  await assert.rejects(
    fetchCifar10(join(parent, 'c'), { url: `http://127.0.0.1:${port}/x.tar.gz` }),
    new RegExp(
      'could not download .*: the connection was refused\\. Without network access: download .* ' +
        'copy its cifar-10-batches-bin/ folder into',
    ),
  );
  await assert.rejects(
    fetchPtb(join(parent, 'p'), { url: `http://127.0.0.1:${port}/` }),
    /connection was refused.*copy ptb\.train\.txt/,
  );
  assert.deepEqual(readdirSync(parent), []);
});

test('a 404 names the status; the Penn Treebank downloads file by file', async () => {
  const parent = tempDir();
  await assert.rejects(fetchCifar10(join(parent, 'c'), { url: `${base}/nothing.tar.gz` }), /server answered 404/);
  const dir = join(parent, 'ptb');
  assert.equal(await fetchPtb(dir, { url: `${base}/ptb/`, checksum: null }), true);
  const ptb = readPtb(dir);
  assert.deepEqual(ptb.vocabulary.words, ['a', 'b', 'c', '<eos>', 'd', 'x']);
  await assert.rejects(fetchPtb(join(parent, 'q'), { url: `${base}/ptb/` }), /has sha256 .* expected fcea919f/);
  assert.deepEqual(readdirSync(parent).sort(), ['ptb']);
});
