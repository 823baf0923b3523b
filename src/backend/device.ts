// What the rest of the library may ask about the device that runs: the one reader of the chosen backend.
// Tasks ask how to run (synchronous reads? worker threads?) and read numbers through here; they never
// branch on a backend's name.
import * as tf from '@tensorflow/tfjs';
import { cores, hasWorkerThreads } from '#host';
import { asWasm } from './kernels/wasm-heap.ts';
import { simdSupported } from './simd/simd.ts';

export { simdSupported };
export { readable } from './webgpu-adapter.ts';
export { tensorFromFill } from './fill.ts';

/** The backend tfjs runs on now ('wasm', 'webgpu', 'cpu', 'tensorflow'). For backend/ and reports only. */
export const activeBackend = (): string => tf.getBackend();

/** False where tensors can only be read asynchronously (webgpu under Node: no dataSync). */
export const readsSynchronously = (): boolean => tf.getBackend() !== 'webgpu';

/**
 * True where a batch may be spread over worker threads, each with its own backend: wasm under Node (a page
 * has no training threads; tfjs' threaded wasm spreads each kernel there instead).
 */
export const spreadsOverThreads = (): boolean => hasWorkerThreads && tf.getBackend() === 'wasm';

/** The backend's default worker count for a step of `rows` rows: every core, but shards of at least `minRows`. */
export const defaultWorkers = (rows: number, minRows = 8): number =>
  Math.max(1, Math.min(cores(), Math.floor(rows / minRows)));

/**
 * The worker threads a step of `rows` rows runs on: the count the command decided (--workers, EDNAS_WORKERS,
 * a resumed run's own), else the backend's default; 1 where the backend does not spread over threads.
 */
export const workerThreads = (decided: number | undefined, rows: number): number =>
  spreadsOverThreads() ? (decided ?? defaultWorkers(rows)) : 1;

/** True where the tensors live in the wasm heap and our SIMD kernels run on them. */
export const runsSimdKernels = (): boolean => tf.getBackend() === 'wasm' && simdSupported();

/** The values of scalars in one read, then disposes them. */
export async function readScalars(scalars: tf.Tensor[]): Promise<number[]> {
  if (scalars.length === 0) return [];
  const all = tf.tidy(() => tf.stack(scalars.map((s) => tf.reshape(s, []))));
  try {
    return Array.from(await all.data());
  } finally {
    tf.dispose([all, ...scalars]);
  }
}

/** readScalars for the backends that read synchronously (wasm, cpu, tensorflow). */
export function readScalarsSync(scalars: tf.Tensor[]): number[] {
  try {
    return scalars.map((s) => s.dataSync()[0]);
  } finally {
    tf.dispose(scalars);
  }
}

/**
 * A tensor's float32 values copied into `into`, read where they lie: on wasm from its heap (about 100x
 * faster than dataSync for millions of values; copied at once, as a later allocation can move the heap).
 */
export function copyValues(t: tf.Tensor, into: Float32Array): void {
  if (tf.getBackend() === 'wasm') into.set(asWasm(tf.backend()).typedArrayFromHeap(t));
  else into.set(t.dataSync() as Float32Array);
}
