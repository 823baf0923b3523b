// What the library asks of the platform, in a page or a Web Worker (Node's answers are node.ts): the cores
// the browser reports, and no worker threads for training (a batch runs in this thread, W = 1).
import type * as node from './node.ts';
// Inlined by the bundler (esbuild: loader { '.wasm': 'binary' }): 35 KB, needed synchronously when loaded.
import SIMD_KERNELS from '../simd/kernels.wasm';

export const simdKernelsWasm = (): Uint8Array => SIMD_KERNELS;

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
