// The backend in a browser or a Web Worker (Node's is select.ts): webgpu when the browser gives a hardware
// adapter (a software one, such as SwiftShader, is slower than wasm: only when asked for), else wasm, else
// cpu. wasm runs tfjs' threaded SIMD build on a cross-origin isolated page (served with
// Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp; tfjs runs half
// the cores the browser reports), else its one-thread SIMD build: only an isolated page has SharedArrayBuffer,
// which the threaded heap is. Our SIMD training kernels follow the heap (simd/simd.ts). The returned
// BackendInfo says which and why, as `ednas doctor` does in Node. tfjs' .wasm files are fetched from
// setWasmPaths' folder (a live export copies them next to its bundle).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import {
  getThreadsCount,
  setThreadsCount,
  setWasmPaths as setTfjsWasmPaths,
  version_wasm,
} from '@tensorflow/tfjs-backend-wasm';
import { cores } from '#host';
import { registerMissingWasmKernels } from './kernels/register.ts';
import { registerDilatedDepthwiseGradient } from './dilated-depthwise-grad.ts';
import { installLeanGradients } from './lean-gradients.ts';
import { catchSharedHeap } from './simd/simd.ts';
import { chunkAddN, describeAdapter, describeGpuAdapter, type GpuAdapter } from './webgpu-adapter.ts';
import { BackendUnavailableError, type BackendInfo, type BackendName } from './info.ts';

const PREFERENCE: BackendName[] = ['webgpu', 'wasm', 'cpu'];
const here = (): string | undefined => (globalThis as { location?: { href: string } }).location?.href;

let wasmBase: string | undefined;

/** The folder (URL) that holds tfjs-backend-wasm*.wasm; by default the page's or worker's own folder. */
export function setWasmPaths(base: string | URL): void {
  wasmBase = new URL(String(base).replace(/\/?$/, '/'), here()).href;
  setTfjsWasmPaths(wasmBase);
}

interface Gpu {
  requestAdapter(o?: { powerPreference?: string }): Promise<GpuAdapter | null>;
}

const gpu = (): Gpu | undefined => (globalThis as { navigator?: { gpu?: Gpu } }).navigator?.gpu;
const isolated = (): boolean => Boolean((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated);

/** Why webgpu cannot run here, or undefined (the adapter described in `info`); a software adapter if `forced`. */
async function webgpuReason(info: Partial<BackendInfo>, forced: boolean): Promise<string | undefined> {
  const g = gpu();
  if (!g) return 'this browser has no WebGPU (navigator.gpu); current Chrome, Edge, Safari 26 and Firefox 141 do';
  let a: GpuAdapter | null;
  try {
    a = await g.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return `requesting a WebGPU adapter failed: ${(e as Error).message}`;
  }
  if (!a) return 'the browser gave no WebGPU adapter (no GPU, or WebGPU is off in its settings)';
  info.adapter = await describeGpuAdapter(a);
  if (info.adapter.software && !forced)
    return `its WebGPU adapter, ${describeAdapter(info.adapter)}, is slower than wasm; asking for webgpu uses it`;
  return undefined;
}

async function tryBackend(name: BackendName, info: Partial<BackendInfo>, forced: boolean): Promise<string | undefined> {
  if (name === 'tensorflow') return 'native TensorFlow runs only under Node';
  if (name === 'webgpu') {
    const reason = await webgpuReason(info, forced);
    if (reason) return reason;
  }
  if (name === 'wasm') {
    if (!wasmBase) setWasmPaths(here() ? new URL('./', here()) : '/');
    // As many threads as the browser reports cores: tfjs keeps at most half of them (its default is also at most 4).
    if (isolated()) setThreadsCount(cores());
    else tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  }
  registerMissingWasmKernels();
  registerDilatedDepthwiseGradient();
  installLeanGradients();
  try {
    const start = () => tf.setBackend(name);
    if (!(await (name === 'wasm' ? catchSharedHeap(start) : start())))
      return `tfjs could not initialise the ${name} backend`;
  } catch (e) {
    return (e as Error).message;
  }
  if (name === 'webgpu') chunkAddN();
  if (name === 'cpu') (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
  return undefined;
}

async function describe(name: BackendName, forced: boolean, info: Partial<BackendInfo>): Promise<BackendInfo> {
  const skipped = info.skipped ?? [];
  if (name === 'wasm') {
    const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    const threads = getThreadsCount();
    const why = !isolated()
      ? 'the page is not cross-origin isolated (no SharedArrayBuffer): serve it with the headers ' +
        'Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp for threads'
      : threads > 1
        ? "the page is cross-origin isolated: tfjs' threaded wasm, half the cores the browser reports"
        : "the page is cross-origin isolated, but tfjs' wasm runs one thread here (it uses half the cores, " +
          `and the browser reports ${cores()}; or this browser has no wasm threads)`;
    return {
      name,
      package: '@tensorflow/tfjs-backend-wasm',
      version: version_wasm,
      threads,
      forced,
      skipped,
      simd,
      note: `${threads} thread${threads === 1 ? '' : 's'}: ${why}; SIMD ${simd ? 'on' : 'off'}`,
    };
  }
  const pkg = `@tensorflow/tfjs-backend-${name}`;
  const adapter = name === 'webgpu' ? info.adapter : undefined;
  const note = adapter ? `adapter ${describeAdapter(adapter)}` : undefined;
  return { name, package: pkg, version: tf.version_core, threads: 1, forced, skipped, adapter, note };
}

/**
 * Picks and initialises the backend in a page or worker. `request` forces one: an error that says why when
 * it cannot start, never a silent fallback.
 */
export async function initBackend(request?: BackendName): Promise<BackendInfo> {
  const info: Partial<BackendInfo> = { skipped: [] };
  if (request) {
    const reason = await tryBackend(request, info, true);
    if (reason) throw new BackendUnavailableError(`The ${request} backend cannot load: ${reason.replace(/\.?$/, '.')}`);
    return describe(request, true, info);
  }
  for (const name of PREFERENCE) {
    const reason = await tryBackend(name, info, false);
    if (!reason) return describe(name, false, info);
    info.skipped!.push({ name, reason });
  }
  throw new BackendUnavailableError(
    `No TensorFlow.js backend could start: ${info.skipped!.map((s) => `${s.name}: ${s.reason}`).join('; ')}.`,
  );
}
