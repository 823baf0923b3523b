// The `ednas` command as a user runs it: a separate process through bin/ednas.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

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
  assert.match(r.stdout, /\[ok {2}\] backend +(wasm|tensorflow) /);
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
