// Backend choice: the preference order, forcing one, and clear errors when a forced one cannot load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { BackendUnavailableError, initBackend, parseBackendName } from '../../src/backend/select.ts';
import { webGpuAdapter } from '../../src/backend/webgpu.ts';

const nativePackage = '@tensorflow/tfjs-node';
const nativeInstalled = await import(nativePackage).then(
  () => true,
  () => false,
);

test('without EDNAS_BACKEND the fastest loadable backend is chosen and the skipped ones say why', async () => {
  delete process.env.EDNAS_BACKEND;
  const info = await initBackend();
  const gpu = (await webGpuAdapter()).adapter;
  assert.equal(info.name, nativeInstalled ? 'tensorflow' : gpu && !gpu.software ? 'webgpu' : 'wasm');
  assert.equal(tf.getBackend(), info.name);
  assert.equal(info.version, '4.22.0');
  if (info.name === 'webgpu') await initBackend('wasm');
  if (!nativeInstalled) assert.match(info.skipped[0].reason, /tfjs-node is not installed/);
});

test('EDNAS_BACKEND forces a backend', async () => {
  process.env.EDNAS_BACKEND = 'cpu';
  try {
    const info = await initBackend();
    assert.equal(info.name, 'cpu');
    assert.equal(info.forced, true);
    assert.equal(tf.getBackend(), 'cpu');
  } finally {
    delete process.env.EDNAS_BACKEND;
    await initBackend('wasm');
  }
});

test('a forced backend that cannot load is an error naming the fix, not a fallback', {
  skip: nativeInstalled && 'native TensorFlow is installed here',
}, async () => {
  await assert.rejects(initBackend('tensorflow'), (e: Error) => {
    assert.ok(e instanceof BackendUnavailableError);
    assert.match(e.message, /npm install @tensorflow\/tfjs-node@4\.22\.0/);
    assert.match(e.message, /environment\.md/);
    return true;
  });
  assert.notEqual(tf.getBackend(), 'tensorflow');
});

test('an unknown backend name lists the valid ones', () => {
  assert.throws(
    () => parseBackendName('gpu'),
    /EDNAS_BACKEND=gpu is not a backend\. Use one of: tensorflow, webgpu, wasm, cpu/,
  );
});

test('a software WebGPU adapter is not picked unasked; EDNAS_BACKEND=webgpu uses it', async () => {
  const { adapter } = await webGpuAdapter();
  delete process.env.EDNAS_BACKEND;
  const auto = await initBackend();
  if (adapter?.software) {
    assert.notEqual(auto.name, 'webgpu');
    assert.match(auto.skipped.find((s) => s.name === 'webgpu')!.reason, /software/);
  }
  if (!adapter) return;
  process.env.EDNAS_BACKEND = 'webgpu';
  try {
    const info = await initBackend();
    assert.equal(info.name, 'webgpu');
    assert.equal(info.adapter?.software, adapter.software);
    assert.equal(tf.getBackend(), 'webgpu');
  } finally {
    delete process.env.EDNAS_BACKEND;
    await initBackend('wasm');
  }
});
