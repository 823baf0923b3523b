// Settings, checkpoints and the file system as a clumsy user meets them through `ednas search`: bad
// settings refused before anything is written; damaged checkpoints and manifests refused with the file
// named, the run left as it was; file-system errors in words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/fixtures.ts';
import { TINY_SEARCH_SETS } from '../helpers/tiny-cli.ts';
import { describeFsError } from '../../src/io/fs-errors.ts';

const bin = new URL('../../bin/ednas.js', import.meta.url).pathname;
const ARGS = ['search', '--preset', 'quick', '--epochs', '1', '--seed', '1', ...TINY_SEARCH_SETS];
const ednas = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 300_000 });

test('bad settings are refused before anything is written, naming the setting and what it may be', () => {
  const root = tempDir();
  for (const [set, message] of [
    ['lr=true', /--set lr must be a number > 0, got 'true'/],
    ['augment=5', /--set augment must be true or false, got '5'/],
    ['C=-4', /--set C \(channels of the first cells\) must be an even integer >= 2, got '-4'/],
    ['epochs=0', /--set epochs must be an integer >= 1, got '0'/],
    ['constructor=1', /--set constructor: unknown setting/],
  ] as const) {
    const out = join(root, set.replace(/\W/g, '_'));
    const r = ednas([...ARGS, '--set', set, '--out', out]);
    assert.equal(r.status, 2, set);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
    assert.ok(!existsSync(out), `${set}: no run directory left to block a rerun`);
  }
  assert.match(ednas(['search', '--preset', '__proto__']).stderr, /unknown preset '__proto__'; the presets are quick/);
  assert.match(ednas(['run', '--search-preset', 'constructor']).stderr, /unknown search preset 'constructor'/);
});

test(
  'a checkpoint whose bytes were replaced, or whose state is not JSON, is refused with the file named; the run ' +
    'stays as it was',
  () => {
    const root = tempDir();
    const out = join(root, 'run');
    assert.equal(ednas([...ARGS, '--out', out]).status, 0);
    const weights = join(out, 'checkpoint', 'weights.bin');
    const bytes = readFileSync(weights);
    const epochs = readFileSync(join(out, 'epochs.csv'), 'utf8');
    writeFileSync(weights, Buffer.alloc(bytes.length, 0xff)); // NaNs, same size
    const r = ednas(['search', '--out', out, '--resume', '--epochs', '2']);
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /checkpoint\/weights\.bin does not match the checksum its checkpoint recorded: the file was changed or damaged/,
    );
    assert.equal(readFileSync(join(out, 'epochs.csv'), 'utf8'), epochs, 'the run was not overwritten');
    writeFileSync(weights, bytes);
    writeFileSync(join(out, 'checkpoint', 'state.json'), '{"format": "ednas-search-che');
    const broken = ednas(['search', '--out', out, '--resume', '--epochs', '2']);
    assert.match(broken.stderr, /the checkpoint state \(.*checkpoint\/state\.json\) is not valid JSON/);
    writeFileSync(join(out, 'manifest.json'), '{"kind": "search"}');
    writeFileSync(join(out, 'checkpoint', 'state.json'), JSON.stringify({ format: 'ednas-search-checkpoint' }));
    assert.match(
      ednas(['search', '--out', out, '--resume', '--epochs', '2']).stderr,
      /checkpoint\/state\.json has no "version" field: the checkpoint is damaged/,
    );
  },
);

test('file-system errors name the cause in words: not a directory, disk full, read-only', () => {
  const root = tempDir();
  writeFileSync(join(root, 'afile'), 'x');
  const r = ednas([...ARGS, '--out', join(root, 'afile', 'run')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /a part of the path is a file, not a directory \(ENOTDIR/);
  // A full and a read-only file system: small tmpfs mounts (root, as CI runs). Where mounting is not
  // permitted the words are checked on the errors themselves.
  const full = join(root, 'full');
  const ro = join(root, 'ro');
  mkdirSync(full);
  mkdirSync(ro);
  const mounted =
    spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', full]).status === 0 &&
    spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', ro]).status === 0;
  try {
    if (mounted) {
      writeFileSync(join(full, 'filler'), Buffer.alloc(60 * 1024));
      const f = ednas([...ARGS, '--out', join(full, 'run')]);
      assert.equal(f.status, 1);
      assert.match(f.stderr, /the disk is full \(no space left on the device\) \(ENOSPC/);
      const o = ednas([...ARGS, '--out', join(ro, 'run')]);
      assert.equal(o.status, 1);
      assert.match(o.stderr, /the file system is read-only \(EROFS/);
    } else {
      const err = (code: string) => Object.assign(new Error(code), { code, path: '/x' });
      assert.match(
        (describeFsError(err('ENOSPC'), 'cannot write /x') as Error).message,
        /cannot write \/x: the disk is full/,
      );
      assert.match((describeFsError(err('EROFS'), 'cannot write /x') as Error).message, /the file system is read-only/);
    }
  } finally {
    spawnSync('umount', [full]);
    spawnSync('umount', [ro]);
  }
});
