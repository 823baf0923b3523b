// A `quick` search and a `quick` evaluation (shrunk to a few steps) run on webgpu through the CLI and exit
// by themselves; the search samples the same architectures as on wasm with the same seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { noWebGpu } from '../helpers/webgpu.ts';

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../../bin/ednas.js');
const tiny = [
  '--set',
  'C=2',
  '--set',
  'layers=3',
  '--set',
  'epochs=2',
  '--set',
  'policyWarmupEpochs=1',
  '--set',
  'limit=80',
  '--set',
  'batchSize=8',
  '--set',
  'policyBatchSize=8',
];

function ednas(backend: string, args: string[]) {
  return run(process.execPath, [bin, ...args], {
    env: { ...process.env, EDNAS_BACKEND: backend, EDNAS_WORKERS: '1' },
    timeout: 240_000,
    maxBuffer: 16 << 20,
  });
}

const children = (dir: string) =>
  readFileSync(path.join(dir, 'steps.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').slice(0, 3).join(','));

test('quick search and evaluation on webgpu: same children as wasm, and the process exits', {
  skip: noWebGpu,
}, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ednas-webgpu-'));
  try {
    const [gpu, wasm] = await Promise.all([
      ednas('webgpu', ['search', '--preset', 'quick', ...tiny, '--out', path.join(dir, 'webgpu')]),
      ednas('wasm', ['search', '--preset', 'quick', ...tiny, '--out', path.join(dir, 'wasm')]),
    ]);
    assert.match(gpu.stdout, /run directory/);
    assert.match(wasm.stdout, /run directory/);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'webgpu', 'manifest.json'), 'utf8'));
    assert.equal(manifest.status, 'finished');
    assert.match(JSON.stringify(manifest), /webgpu/);
    const got = children(path.join(dir, 'webgpu'));
    assert.ok(got.length >= 4, `${got.length} steps`);
    assert.deepEqual(got, children(path.join(dir, 'wasm')), 'the sampled children (epoch, child, phase) per step');

    await ednas('webgpu', [
      'evaluate',
      '--run',
      path.join(dir, 'webgpu'),
      '--preset',
      'quick',
      '--epochs',
      '1',
      '--set',
      'C=2',
      '--set',
      'layers=3',
      '--set',
      'trainLimit=32',
      '--set',
      'testLimit=32',
      '--set',
      'batchSize=16',
      '--set',
      'testBatchSize=16',
      '--out',
      path.join(dir, 'eval'),
    ]);
    const evaluated = JSON.parse(readFileSync(path.join(dir, 'eval', 'manifest.json'), 'utf8'));
    assert.equal(evaluated.status, 'finished');
    assert.ok(evaluated.result.test_acc >= 0 && evaluated.result.test_acc <= 1);
    assert.ok(existsSync(path.join(dir, 'eval', 'model')), 'the model file is written');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
