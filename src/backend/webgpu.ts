// The WebGPU backend under Node: TensorFlow.js' webgpu backend on Dawn's Node binding (the npm package
// `webgpu`), which runs on any Vulkan driver (NVIDIA, AMD, Intel) and on Mesa's software Vulkan
// (lavapipe). Both packages are optional: when either cannot load, the reason is kept for `ednas doctor`
// and the choice of backend passes on. The adapter is described (vendor, architecture, software or
// hardware, limits) before the backend starts, so that only a hardware adapter is picked unasked.
// Node has no synchronous readback from the GPU (tfjs reads synchronously through a canvas): the
// training loop reads its numbers with `await tensor.data()`, and `readable` fetches tensors that a
// synchronous reader (a checkpoint, a model file) then finds on the CPU.
import * as tf from '@tensorflow/tfjs';
import { existsSync, readdirSync } from 'node:fs';
import { withoutDawnWarnings } from './dawn-warnings.ts';
import { chunkAddN, describeGpuAdapter, type GpuAdapter, type WebGpuAdapter } from './webgpu-adapter.ts';

export { describeAdapter, readable, releaseWebGpu, type WebGpuAdapter } from './webgpu-adapter.ts';

export const WEBGPU_HELP =
  'No WebGPU adapter: Dawn needs a Vulkan driver. For a GPU install its driver with the Vulkan ICD ' +
  "(NVIDIA: the driver's libnvidia-gl / nvidia-vulkan-icd; in a container set NVIDIA_DRIVER_CAPABILITIES " +
  'to include graphics, e.g. all, so that the ICD is mounted); for the software adapter on Debian 12 add ' +
  'bookworm-backports and `apt-get install -t bookworm-backports mesa-vulkan-drivers` (Mesa 25; plain ' +
  "bookworm's Mesa 22 gives no adapter). See environment.md.";

const PACKAGES_HELP = 'Install them with `npm install webgpu@0.6.2 @tensorflow/tfjs-backend-webgpu@4.22.0`.';

interface Gpu {
  requestAdapter(o?: { powerPreference?: string }): Promise<GpuAdapter | null>;
}
let gpu: Gpu | undefined;
let loadError: string | undefined;
let adapter: WebGpuAdapter | undefined;
let adapterError: string | undefined;

/** Loads Dawn and tfjs' webgpu backend once; the reason when either cannot load. */
export async function loadWebGpu(): Promise<string | undefined> {
  if (gpu || loadError) return loadError;
  let dawn: { create(flags: string[]): Gpu; globals: object };
  try {
    dawn = (await import('webgpu')) as unknown as typeof dawn;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    loadError =
      err.code === 'ERR_MODULE_NOT_FOUND'
        ? `the package webgpu is not installed. ${PACKAGES_HELP}`
        : `the package webgpu failed to load: ${err.message}`;
    return loadError;
  }
  // tfjs' webgpu backend looks for the WebGPU globals (GPUBufferUsage, ...) and navigator.gpu.
  Object.assign(globalThis, dawn.globals);
  const created = dawn.create([]);
  const nav = (globalThis as { navigator?: { gpu?: Gpu } }).navigator;
  if (nav) {
    if (!nav.gpu) Object.defineProperty(nav, 'gpu', { value: created, configurable: true });
  } else {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu: created }, configurable: true, writable: true });
  }
  gpu = (globalThis as unknown as { navigator: { gpu: Gpu } }).navigator.gpu;
  try {
    await import('@tensorflow/tfjs-backend-webgpu');
  } catch (e) {
    gpu = undefined;
    const err = e as NodeJS.ErrnoException;
    loadError =
      err.code === 'ERR_MODULE_NOT_FOUND'
        ? `the package @tensorflow/tfjs-backend-webgpu is not installed. ${PACKAGES_HELP}`
        : `@tensorflow/tfjs-backend-webgpu failed to load: ${err.message}`;
    return loadError;
  }
  guardSyncReads();
  chunkAddN();
  return undefined;
}

/**
 * The device nodes through which a hardware adapter could answer on Linux (NVIDIA's /dev/nvidia0, a Mesa
 * GPU's /dev/dri/renderD128, WSL's /dev/dxg). With none, only a software rasteriser could, and probing
 * one loads Dawn and lavapipe (about 60 MB) and prints Dawn's warnings, so the unasked choice skips it.
 * Other systems (macOS' Metal) have no such nodes: undefined, probe (also when /dev cannot be read).
 */
export function gpuDeviceNodes(): string[] | undefined {
  if (process.platform !== 'linux') return undefined;
  const list = (dir: string, prefix: string) =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((n) => n.startsWith(prefix))
          .map((n) => `${dir}/${n}`)
      : [];
  try {
    return [...list('/dev', 'nvidia'), ...list('/dev/dri', 'renderD'), ...list('/dev', 'dxg')];
  } catch {
    return undefined; // a folder we may not read: probe rather than guess
  }
}

/** The adapter tfjs would get (high-performance), described; undefined with the reason when there is none. */
export async function webGpuAdapter(): Promise<{ adapter?: WebGpuAdapter; reason?: string }> {
  if (adapter || adapterError) return { adapter, reason: adapterError };
  const failed = await loadWebGpu();
  if (failed) return { reason: failed };
  let a: GpuAdapter | null;
  try {
    a = await withoutDawnWarnings(() => gpu!.requestAdapter({ powerPreference: 'high-performance' }));
  } catch (e) {
    adapterError = `requesting a WebGPU adapter failed: ${(e as Error).message}. ${WEBGPU_HELP}`;
    return { reason: adapterError };
  }
  if (!a) {
    adapterError = WEBGPU_HELP;
    return { reason: adapterError };
  }
  adapter = await describeGpuAdapter(a);
  return { adapter };
}

/** A synchronous read on the GPU fails with the cause and the fix, not a missing OffscreenCanvas. */
function guardSyncReads(): void {
  tf.env().set('WEBGPU_CPU_FORWARD', false);
  const engine = tf.engine() as unknown as {
    registryFactory: Record<string, { factory: () => Promise<tf.KernelBackend> }>;
  };
  const entry = engine.registryFactory.webgpu;
  if (!entry) return;
  const factory = entry.factory;
  tf.removeBackend('webgpu');
  tf.registerBackend(
    'webgpu',
    async () => {
      const backend = await factory();
      const original = backend.readSync.bind(backend);
      const data = (backend as unknown as { tensorMap: { get(id: object): { values?: unknown } | undefined } })
        .tensorMap;
      backend.readSync = (dataId: object) => {
        if (data.get(dataId)?.values == null) {
          throw new Error(
            'A synchronous read (dataSync, arraySync, bufferSync) of a tensor on the webgpu backend: ' +
              'under Node the GPU can only be read asynchronously. Use `await tensor.data()` (or readable() before ' +
              'the read).',
          );
        }
        return original(dataId);
      };
      return backend;
    },
    0,
  );
}
