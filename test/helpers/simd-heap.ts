// Runs one export of kernels.wasm on plain arrays: they are copied into blocks of the wasm backend's heap,
// the kernel is called with their byte offsets, and the output blocks are read back. The per-source kernel
// tests (test/backend/simd/) compare what comes back with a plain TypeScript or tfjs reference.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.ts';
import { type Simd, simdFor } from '../../src/backend/simd/simd.ts';

export type Kernels = Simd['k'];

let simd: Promise<Simd> | undefined;

/** The SIMD module in the wasm backend's heap (the backend started once, not made current). */
export function wasmSimd(): Promise<Simd> {
  simd ??= initBackend('wasm').then(() => simdFor(tf.findBackend('wasm')));
  return simd;
}

/**
 * Calls `run` with a heap offset for each input (copied in) and each output (`outputs`: its length; filled
 * with NaN first, so a value the kernel does not write shows; an output named as an input is that input,
 * updated in place); returns the kernel's own result and the outputs' values. Int32Array inputs are copied
 * bit for bit (labels).
 */
export async function onHeap<O extends string>(
  inputs: Record<string, Float32Array | Int32Array>,
  outputs: Record<O, number>,
  run: (k: Kernels, at: Record<string, number>) => number | undefined,
): Promise<{ result: number | undefined; out: Record<O, Float32Array> }> {
  const s = await wasmSimd();
  const at: Record<string, number> = {};
  try {
    for (const [name, a] of Object.entries(inputs)) at[name] = s.alloc(Math.max(1, a.length));
    for (const [name, n] of Object.entries<number>(outputs)) at[name] ??= s.alloc(Math.max(1, n));
    // Views are taken after the last allocation: an allocation may grow the heap and detach older views.
    for (const [name, a] of Object.entries(inputs)) {
      const view = s.view(at[name], a.length);
      if (a instanceof Int32Array) new Int32Array(view.buffer, view.byteOffset, a.length).set(a);
      else view.set(a);
    }
    for (const [name, n] of Object.entries<number>(outputs))
      if (!(name in inputs)) s.view(at[name], n).fill(Number.NaN);
    const result = run(s.k, at);
    const out = {} as Record<O, Float32Array>;
    for (const [name, n] of Object.entries<number>(outputs)) out[name as O] = s.view(at[name], n).slice();
    return { result, out };
  } finally {
    for (const p of Object.values(at)) s.free(p);
  }
}

/** Values of a tfjs computation on the cpu backend (a reference that runs none of our kernels). */
export async function onCpu(f: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await wasmSimd();
  const previous = tf.getBackend();
  await tf.setBackend('cpu');
  try {
    return tf.tidy(() => {
      const r = f();
      return (Array.isArray(r) ? r : [r]).map((t) => t.dataSync() as Float32Array);
    });
  } finally {
    await tf.setBackend(previous);
  }
}
