// What the library asks of the platform, in a page or a Web Worker (Node's answers are node.ts): the cores
// the browser reports, and no worker threads for training (a batch runs in this thread, W = 1).
import type * as node from './node.ts';
// Inlined by the bundler (esbuild: loader { '.wasm': 'binary' }): 35 KB each, needed synchronously when loaded.
import SIMD_KERNELS from '../simd/kernels.wasm';
import SIMD_KERNELS_SHARED from '../simd/kernels-shared.wasm';

export const simdKernelsWasm: typeof node.simdKernelsWasm = (shared) => (shared ? SIMD_KERNELS_SHARED : SIMD_KERNELS);

export const cores = (): number =>
  (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;

export const hasWorkerThreads = false;

class NoWorker {
  constructor() {
    throw new Error('Training worker threads run only under Node; in a browser the batch runs in one thread (W=1).');
  }
}

export const Worker = NoWorker as unknown as typeof node.Worker;
export type Worker = node.Worker;

export const parentPort: typeof node.parentPort = null;

export const packageText: typeof node.packageText = (file, setter) => {
  throw new Error(
    `${file} cannot be read from node_modules in a browser: load it in the page and call ${setter}(text).`,
  );
};

/** What inspect's text would show, from JSON: bigints, Maps, Sets, typed and long arrays cut to 20 items. */
export const formatValue: typeof node.formatValue = (value) => {
  if (typeof value === 'function') return `[Function: ${value.name || '(anonymous)'}]`;
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  const list = (a: unknown[]) => (a.length > 20 ? [...a.slice(0, 20), `... ${a.length - 20} more items`] : a);
  try {
    const text = JSON.stringify(
      value,
      (_, x: unknown) =>
        typeof x === 'bigint'
          ? `${x}n`
          : x instanceof Map
            ? Object.fromEntries(x)
            : x instanceof Set
              ? list([...x])
              : ArrayBuffer.isView(x)
                ? list(Array.from(x as unknown as ArrayLike<number>))
                : Array.isArray(x)
                  ? list(x)
                  : x,
      2,
    );
    return text ?? String(value);
  } catch {
    return String(value); // a cycle
  }
};

// A message to itself: runs after the events already queued, without setTimeout's clamp to 4 ms.
const channel = typeof MessageChannel === 'function' ? new MessageChannel() : undefined;
const waiting: (() => void)[] = [];
if (channel) channel.port1.onmessage = () => waiting.shift()?.();

export const yieldToEventLoop: typeof node.yieldToEventLoop = () =>
  new Promise((r) => {
    if (!channel) return void setTimeout(r, 0);
    waiting.push(r);
    channel.port2.postMessage(0);
  });

// A page does not see its process's memory: Chromium's performance.memory gives its JavaScript heap, in a
// page only (not in a worker); elsewhere nothing is known, and undefined says so (not 0).
let peakHeap = 0;
export const peakMemoryMb: typeof node.peakMemoryMb = () => {
  const heap = (globalThis as { performance?: { memory?: { usedJSHeapSize: number } } }).performance?.memory;
  if (!heap) return undefined;
  peakHeap = Math.max(peakHeap, heap.usedJSHeapSize);
  return peakHeap / 2 ** 20;
};

export const environment: typeof node.environment = () => undefined;

export const processTag: typeof node.processTag = Math.random().toString(36).slice(2, 8);
