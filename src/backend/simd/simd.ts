// Loads kernels.wasm (SIMD kernels, one source per operation: *.c here) into the memory of tfjs' wasm backend, so
// the kernels read and write tensors where they lie. Pointers are byte offsets into that heap; they stay valid
// when the heap grows, unlike typed-array views.
import { readFileSync } from 'node:fs';
import type { TensorInfo } from '@tensorflow/tfjs';

const BYTES = readFileSync(new URL('./kernels.wasm', import.meta.url));

export interface SimdExports {
  bn_stats(x: number, M: number, C: number, mean: number, variance: number): void;
  channel_affine(x: number, M: number, C: number, shift: number, scale: number, y: number): void;
  bn_grad_sums(dy: number, xhat: number, M: number, C: number, sdy: number, sdyx: number): void;
  bn_grad_apply(
    dy: number,
    xhat: number,
    M: number,
    C: number,
    rstd: number,
    mdy: number,
    mdyx: number,
    dx: number,
  ): void;
  dw_filter_grad(
    x: number,
    dy: number,
    dw: number,
    B: number,
    H: number,
    W: number,
    C: number,
    Ho: number,
    Wo: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    dh: number,
    dwl: number,
    top: number,
    left: number,
  ): void;
  max_pool3_grad(
    x: number,
    dy: number,
    dx: number,
    B: number,
    H: number,
    W: number,
    C: number,
    Ho: number,
    Wo: number,
    stride: number,
  ): void;
  copy_into_columns(part: number, out: number, M: number, w: number, total: number, offset: number): void;
  copy_from_columns(x: number, part: number, M: number, w: number, total: number, offset: number): void;
  matmul_at_b(x: number, dy: number, dw: number, M: number, Ci: number, Co: number): void;
  patches(
    x: number,
    cols: number,
    B: number,
    H: number,
    W: number,
    Ci: number,
    Ho: number,
    Wo: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    top: number,
    left: number,
    Kp: number,
  ): void;
  matmul_a_b(x: number, w: number, y: number, M: number, K: number, N: number): void;
  pad_copy(
    x: number,
    xp: number,
    B: number,
    H: number,
    W: number,
    C: number,
    top: number,
    left: number,
    Hp: number,
    Wp: number,
  ): void;
  dw_conv_padded(
    xp: number,
    f: number,
    y: number,
    B: number,
    Hp: number,
    Wp: number,
    C: number,
    Ho: number,
    Wo: number,
    k: number,
    sh: number,
    sw: number,
    dh: number,
    dwl: number,
  ): void;
  dw_filter_grad_padded(
    xp: number,
    dy: number,
    df: number,
    B: number,
    Hp: number,
    Wp: number,
    C: number,
    Ho: number,
    Wo: number,
    k: number,
    sh: number,
    sw: number,
    dh: number,
    dwl: number,
  ): void;
  dw_conv(
    x: number,
    f: number,
    y: number,
    B: number,
    H: number,
    W: number,
    C: number,
    Ho: number,
    Wo: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    dh: number,
    dwl: number,
    top: number,
    left: number,
  ): void;
  sum_squares(g: number, n: number): number;
  relu_grad(y: number, dy: number, dx: number, n: number): void;
  subsample2(x: number, y: number, B: number, H: number, W: number, C: number, oy: number, ox: number): void;
  subsample2_grad(dy: number, dx: number, B: number, H: number, W: number, C: number, oy: number, ox: number): void;
  sgd_update(
    w: number,
    g: number,
    buf: number,
    out: number,
    n: number,
    lr: number,
    mu: number,
    wd: number,
    scale: number,
    nesterov: number,
  ): void;
  softmax_xent(x: number, labels: number, p: number, N: number, V: number): number;
  softmax_xent_grad(p: number, labels: number, g: number, N: number, V: number, scale: number): void;
  __stack_pointer: WebAssembly.Global;
}

interface WasmBackendInternals {
  wasm: {
    asm: { memory: WebAssembly.Memory };
    _malloc(n: number): number;
    _free(p: number): void;
    HEAPF32: Float32Array;
  };
  dataIdMap: { get(id: object): { memoryOffset: number } };
}

export interface Simd {
  k: SimdExports;
  /** Byte offset of a tensor's data in the heap. */
  at(info: TensorInfo): number;
  /** Scratch space of `floats` float32 values; free it with `free`. */
  alloc(floats: number): number;
  free(ptr: number): void;
  /** A fresh view of floats at a byte offset (take it after the last allocation). */
  view(ptr: number, floats: number): Float32Array;
}

const SUPPORTED = WebAssembly.validate(BYTES);

/** True when this engine runs wasm SIMD (Node 16.4 and later do). */
export const simdSupported = (): boolean => SUPPORTED;

const loaded = new WeakMap<object, Simd>();

export function simdFor(backend: unknown): Simd {
  const b = backend as WasmBackendInternals;
  let s = loaded.get(b);
  if (!s) {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(BYTES), { env: { memory: b.wasm.asm.memory } });
    const k = instance.exports as unknown as SimdExports;
    // The module's own stack (unused by the kernels, but reserved by the linker) lives in a block of the
    // backend's heap so it can never overlap tfjs' data.
    const stackSize = 16384;
    k.__stack_pointer.value = (b.wasm._malloc(stackSize) >>> 0) + stackSize;
    s = {
      k,
      at: (info) => b.dataIdMap.get(info.dataId).memoryOffset,
      alloc: (floats) => b.wasm._malloc(floats * 4) >>> 0,
      free: (ptr) => b.wasm._free(ptr),
      view: (ptr, floats) => new Float32Array(b.wasm.asm.memory.buffer, ptr, floats),
    };
    loaded.set(b, s);
  }
  return s;
}
