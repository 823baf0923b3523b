// The messages between a training's main thread and its worker threads (pool.ts, worker.ts). Bulk data
// never travels in messages: weights, gradients and batches lie in SharedArrayBuffers.
import type { Layout } from './shared.ts';

/** An array a step reads, in a shared buffer of the worker's own. */
export interface SharedArray {
  buffer: SharedArrayBuffer;
  dtype: 'float32' | 'int32';
  shape: number[];
}

export type ToWorker =
  | {
      type: 'init';
      worker: number;
      module: string;
      args: unknown;
      layout: Layout;
      weights: SharedArrayBuffer;
      grads: SharedArrayBuffer;
    }
  | {
      type: 'step';
      step: string;
      args: Record<string, unknown>;
      inputs: Record<string, SharedArray>;
      /** Tensors to read from the shared weights before the step (changed since the last one). */
      load: string[];
      /** Gradients to write into this worker's region of the shared gradients. */
      grads: string[];
      /** Write this replica's buffers (running statistics) into the shared weights after the step. */
      publishBuffers: boolean;
    };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'done'; sums: Record<string, number>; gradNames: string[] }
  | { type: 'failed'; error: string };
