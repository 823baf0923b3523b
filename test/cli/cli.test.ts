// The `ednas` command as a user runs it: a separate process through bin/ednas.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';

const bin = new URL('../../bin/ednas.js', import.meta.url).pathname;
const ednas = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

test('ednas --version prints the package version', () => {
  const r = ednas(['--version']);
  assert.equal(r.status, 0);
  assert.equal(r.stdout.trim(), pkg.version);
});

test('ednas --help lists the commands and EDNAS_BACKEND', () => {
  const r = ednas(['--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /Usage: ednas <command>/);
  assert.match(r.stdout, /doctor/);
  assert.match(r.stdout, /EDNAS_BACKEND/);
});

test('an unknown command exits 2 and points at --help', () => {
  const r = ednas(['serach']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command 'serach'.*ednas --help/);
});

test('ednas doctor reports the backend, the training check and how to get native TensorFlow', () => {
  const r = ednas(['doctor'], { EDNAS_BACKEND: '' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /\[ok {2}\] backend +(wasm|tensorflow|webgpu) /);
  // The adapter with its limits, or what to install for one.
  assert.match(
    r.stdout,
    /\] WebGPU +(.*\((software|hardware)\); maxBufferSize \d+ MiB, maxStorageBufferBindingSize \d+ MiB|.*)/,
  );
  if (/\[warn\] WebGPU/.test(r.stdout)) assert.match(r.stdout, /mesa-vulkan-drivers/);
  assert.match(r.stdout, /\[ok {2}\] training +gradient of dil_conv_5x5 computed/);
  assert.match(r.stdout, /threads?\)/);
  assert.match(r.stdout, /Jupyter/);
  assert.match(r.stdout, /Chromium/);
  assert.match(r.stdout, /GPU/);
  if (/\] backend +wasm/.test(r.stdout)) assert.match(r.stdout, /npm install @tensorflow\/tfjs-node@4\.22\.0/);
  assert.match(r.stdout, /The project can run\./);
});

test('ednas doctor fails clearly when a forced backend cannot load', () => {
  const r = ednas(['doctor'], { EDNAS_BACKEND: 'tensorflow' });
  if (/\] backend +tensorflow/.test(r.stdout)) return; // native TensorFlow is installed here
  assert.equal(r.status, 1);
  assert.match(r.stdout, /\[FAIL\] backend +The tensorflow backend cannot load/);
  assert.match(r.stdout, /The project cannot run: fix backend/);
});

test('ednas data cifar10 --sample summarises the bundled sample and its EDNAS split', () => {
  const r = ednas(['data', 'cifar10', '--sample', '--limit', '1000', '--seed', '2']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /train +1600 +10 +32x32x3/);
  assert.match(r.stdout, /EDNAS split: 800 weight \/ 200 policy images/);
  assert.match(r.stdout, /airplane +80 +20 +40/);
});

test('ednas data: bad options and unknown data sets exit 2 with a pointer to the help', () => {
  const bad = ednas(['data', 'cifar10', '--limit', 'many']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--limit must be an integer >= 2, got 'many'/);
  const unknown = ednas(['data', 'mnist']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown data set 'mnist'; choose cifar10 or ptb/);
  assert.match(ednas(['data', '--bogus']).stderr, /Unknown option '--bogus'.*ednas data --help/);
});

test('ednas data cifar10 with a missing folder and no network says what to do and leaves nothing', async () => {
  const dir = `${mkdtempSync(join(tmpdir(), 'ednas-cli-'))}/cifar`;
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as { port: number }).port;
  await new Promise((r) => closed.close(r));
  const r = ednas(['data', 'cifar10', '--dir', dir, '--url', `http://127.0.0.1:${port}/cifar.tar.gz`]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /could not download .*connection was refused.*copy its cifar-10-batches-bin\/ folder into/);
  assert.equal(existsSync(dir), false);
});
