// Output paths that are not files: a device, a named pipe, a socket or a folder given where a command
// writes a file is refused untouched (a rename would put a regular file in its place).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/io/atomic.ts';
import { saveModel } from '../../src/cnn/model-file.ts';
import { NO_AUGMENTATION } from '../../src/data/augment.ts';
import { tempDir } from '../helpers/fixtures.ts';
import { tinyNetwork } from '../helpers/tiny-cli.ts';

const bin = new URL('../../bin/ednas.js', import.meta.url).pathname;
const ednas = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });
const identity = (path: string) => {
  const s = statSync(path);
  return { ino: s.ino, rdev: s.rdev, mode: s.mode };
};

test('writeFileAtomic refuses a FIFO, a socket, a folder and /dev/full, and leaves each as it was', async () => {
  const dir = tempDir();
  const fifo = join(dir, 'pipe');
  execFileSync('mkfifo', [fifo]);
  const socket = join(dir, 'sock');
  const server = createServer();
  await new Promise<void>((done) => server.listen(socket, done));
  const folder = join(dir, 'folder');
  mkdirSync(folder);
  try {
    for (const [path, kind] of [
      [fifo, 'a named pipe'],
      [socket, 'a socket'],
      [folder, 'a directory'],
      ['/dev/full', 'a character device'],
    ]) {
      const before = identity(path);
      assert.throws(
        () => writeFileAtomic(path, 'x'),
        new RegExp(`cannot write ${path}: it is ${kind}.*not a regular file`),
      );
      assert.deepEqual(identity(path), before, `${path} is untouched`);
      assert.ok(!existsSync(`${path}.tmp-${process.pid}`), 'no temporary left');
    }
  } finally {
    server.close();
  }
  // A regular file is still replaced whole.
  const file = join(dir, 'file.txt');
  writeFileSync(file, 'old');
  writeFileAtomic(file, 'new');
  assert.equal(readFileSync(file, 'utf8'), 'new');
  assert.deepEqual(
    readdirSync(dir).filter((n) => n.includes('.tmp-')),
    [],
  );
});

test('ednas export --onnx and ednas notebook --export refuse a FIFO and /dev/full with the cause named', async () => {
  const dir = tempDir();
  const net = await tinyNetwork();
  const model = join(dir, 'model');
  saveModel(model, net, {
    classes: Array.from({ length: 10 }, (_, k) => `c${k}`),
    input: { size: 32, mode: 'center', resize: 32, flip: false, mean: NO_AUGMENTATION.mean, std: NO_AUGMENTATION.std },
  });
  net.dispose();
  const fifo = join(dir, 'out.html');
  execFileSync('mkfifo', [fifo]);
  for (const target of [fifo, '/dev/full']) {
    const before = identity(target);
    const r = ednas(['export', model, '--onnx', target, '--check', '0']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`ednas export: cannot write ${target}: it is a (named pipe|character device)`));
    assert.deepEqual(identity(target), before, `${target} is untouched`);
  }
  const notebook = join(dir, 'nb.ts');
  writeFileSync(notebook, 'export const x = 1;\n');
  const r = ednas(['notebook', notebook, '--export', fifo, '--no-cache']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /cannot write .*out\.html: it is a named pipe/);
  assert.ok(statSync(fifo).isFIFO());
});
