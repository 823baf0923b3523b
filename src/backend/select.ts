// The one place that picks and prepares the TensorFlow.js backend.
// Preference: tensorflow (native, tfjs-node-gpu then tfjs-node) > webgpu (a hardware adapter only) > wasm >
// cpu; EDNAS_BACKEND forces one (webgpu on a software adapter included).
import * as tf from '@tensorflow/tfjs';
import { version_wasm } from '@tensorflow/tfjs-backend-wasm';
import os from 'node:os';
import { registerMissingWasmKernels } from './kernels/register.ts';
import { registerDilatedDepthwiseGradient } from './dilated-depthwise-grad.ts';
import { installLeanGradients } from './lean-gradients.ts';
import {
  describeAdapter,
  gpuDeviceNodes,
  loadWebGpu,
  webGpuAdapter,
  WEBGPU_HELP,
  type WebGpuAdapter,
} from './webgpu.ts';
import { BACKENDS, BackendUnavailableError, parseBackendName, type BackendInfo, type BackendName } from './info.ts';

/** For a front end that sets the backend itself (initBackend calls it). */
export { registerMissingWasmKernels };

const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;
export { BACKENDS, BackendUnavailableError, parseBackendName };
export type { BackendInfo, BackendName };

export const NATIVE_HELP =
  'Native TensorFlow needs `npm install @tensorflow/tfjs-node@4.22.0` (CPU) or ' +
  '`npm install @tensorflow/tfjs-node-gpu@4.22.0` (CUDA 11.2 + cuDNN 8.1); both download libtensorflow ' +
  'while installing, so they need network access to its download server. See environment.md.';

let nativeModule: { pkg: string; version: string } | undefined;
let nativeError: string | undefined;

async function loadNative(): Promise<{ pkg: string; version: string } | undefined> {
  if (nativeModule || nativeError) return nativeModule;
  const errors: string[] = [];
  for (const pkg of NATIVE_PACKAGES) {
    try {
      const mod = (await import(pkg)) as { version?: { 'tfjs-node'?: string } };
      nativeModule = { pkg, version: mod.version?.['tfjs-node'] ?? tf.version_core };
      return nativeModule;
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      errors.push(
        err.code === 'ERR_MODULE_NOT_FOUND' ? `${pkg} is not installed` : `${pkg} failed to load: ${err.message}`,
      );
    }
  }
  nativeError = errors.join('; ');
  return undefined;
}

function describe(name: BackendName, forced: boolean, skipped: BackendInfo['skipped']): BackendInfo {
  switch (name) {
    case 'tensorflow':
      return {
        name,
        package: nativeModule!.pkg,
        version: nativeModule!.version,
        threads: os.cpus().length,
        forced,
        skipped,
      };
    case 'webgpu':
      return {
        name,
        package: '@tensorflow/tfjs-backend-webgpu',
        version: tf.version_core,
        threads: 1,
        forced,
        skipped,
        adapter: webgpuAdapter,
      };
    case 'wasm':
      // tfjs runs wasm single-threaded under Node (its threaded build needs browser workers).
      return { name, package: '@tensorflow/tfjs-backend-wasm', version: version_wasm, threads: 1, forced, skipped };
    case 'cpu':
      return { name, package: '@tensorflow/tfjs-backend-cpu', version: tf.version_core, threads: 1, forced, skipped };
  }
}

let webgpuAdapter: WebGpuAdapter | undefined;

/** Whether webgpu can run here: its packages load and it has an adapter (a hardware one unless forced). */
async function webgpuReason(forced: boolean): Promise<string | undefined> {
  if (!forced && gpuDeviceNodes()?.length === 0)
    return (
      'no GPU device here (/dev/nvidia*, /dev/dri/renderD*, /dev/dxg), so no hardware WebGPU adapter; ' +
      'EDNAS_BACKEND=webgpu uses a software one'
    );
  const failed = await loadWebGpu();
  if (failed) return failed;
  const { adapter, reason } = await webGpuAdapter();
  if (!adapter) return reason;
  webgpuAdapter = adapter;
  if (adapter.software && !forced)
    return `the only WebGPU adapter is software (${describeAdapter(adapter)}); EDNAS_BACKEND=webgpu uses it`;
  return undefined;
}

async function tryBackend(name: BackendName, forced = false): Promise<string | undefined> {
  if (name === 'tensorflow' && !(await loadNative())) return nativeError;
  if (name === 'webgpu') {
    const reason = await webgpuReason(forced);
    if (reason) return reason;
  }
  // Training additions go in after a native package has loaded its own copy of the registries.
  registerMissingWasmKernels();
  registerDilatedDepthwiseGradient();
  installLeanGradients();
  const silence = console.warn;
  console.warn = () => {};
  try {
    if (!(await tf.setBackend(name))) return `tfjs could not initialise the ${name} backend`;
    // The cpu backend prints a banner recommending tfjs-node on its first write; `ednas doctor` says that.
    if (name === 'cpu') (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
    return undefined;
  } catch (e) {
    return (e as Error).message;
  } finally {
    console.warn = silence;
  }
}

/**
 * Picks and initialises the backend. `request` (else EDNAS_BACKEND) forces one; a forced backend that
 * cannot load is an error that says how to get it, never a silent fallback.
 */
export async function initBackend(request?: BackendName): Promise<BackendInfo> {
  const env = process.env.EDNAS_BACKEND?.trim();
  const forced = request ?? (env ? parseBackendName(env) : undefined);
  if (forced) {
    const reason = await tryBackend(forced, true);
    if (reason) {
      const fix =
        forced === 'tensorflow'
          ? NATIVE_HELP
          : forced === 'webgpu'
            ? /npm install|See environment\.md/.test(reason)
              ? ''
              : WEBGPU_HELP
            : 'Reinstall the project dependencies (npm install), or unset EDNAS_BACKEND.';
      throw new BackendUnavailableError(
        `The ${forced} backend cannot load: ${reason.replace(/\.?$/, '.')} ${fix}`.trimEnd(),
      );
    }
    return describe(forced, true, []);
  }
  const skipped: BackendInfo['skipped'] = [];
  for (const name of BACKENDS) {
    const reason = await tryBackend(name);
    if (!reason) return describe(name, false, skipped);
    skipped.push({ name, reason });
  }
  throw new BackendUnavailableError(
    `No TensorFlow.js backend could start: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}. ` +
      'Run `npm install` in the project directory.',
  );
}
