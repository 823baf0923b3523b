// Loads kernels.wasm (SIMD kernels, one source per operation: *.c here) into the memory of tfjs' wasm backend, so
// the kernels read and write tensors where they lie. Pointers are byte offsets into that heap; they stay valid
// when the heap grows, unlike typed-array views. tfjs' threaded build (a cross-origin isolated page) has a
// shared heap, which only kernels-shared.wasm (the same sources linked for a shared memory) may import.
import { simdKernelsWasm } from '#host';
import type { TensorInfo } from '@tensorflow/tfjs';

const BYTES = simdKernelsWasm(false);

// The exports of kernels.wasm: each C function's parameters, named as in its source. Every parameter is a
// number: a heap byte offset for the arrays, else a size or a factor. `simdFor` checks the module against it.
const SIGNATURES = {
  bn_stats: 'x M C mean variance',
  channel_affine: 'x M C shift scale y',
  bn_grad_sums: 'dy xhat M C sdy sdyx',
  bn_grad_apply: 'dy xhat M C rstd mdy mdyx dx',
  dw_conv: 'x f y B H W C Ho Wo kh kw sh sw dh dwl top left',
  dw_filter_grad: 'x dy dw B H W C Ho Wo kh kw sh sw dh dwl top left',
  dw_conv_padded: 'xp f y B Hp Wp C Ho Wo k sh sw dh dwl',
  dw_filter_grad_padded: 'xp dy df B Hp Wp C Ho Wo k sh sw dh dwl',
  pad_copy: 'x xp B H W C top left Hp Wp',
  max_pool3_grad: 'x dy dx B H W C Ho Wo stride',
  copy_into_columns: 'part out M w total offset',
  copy_from_columns: 'x part M w total offset',
  matmul_at_b: 'x dy dw M Ci Co',
  matmul_a_b: 'x w y M K N',
  patches: 'x cols B H W Ci Ho Wo kh kw sh sw top left Kp',
  sum_squares: 'g n',
  relu_grad: 'y dy dx n',
  subsample2: 'x y B H W C oy ox',
  subsample2_grad: 'dy dx B H W C oy ox',
  sgd_update: 'w g buf out n lr mu wd scale nesterov',
  softmax_xent: 'x labels p N V',
  softmax_xent_grad: 'p labels g N V scale',
} as const;

/** A number for each name of a space-separated list. */
type Numbers<S extends string> = S extends `${string} ${infer Rest}` ? [number, ...Numbers<Rest>] : [number];
/** The kernels that return a number (a sum); the others write into the heap only. */
type Returns<K> = K extends 'sum_squares' | 'softmax_xent' ? number : undefined;

export type SimdExports = {
  [K in keyof typeof SIGNATURES]: (...args: Numbers<(typeof SIGNATURES)[K]>) => Returns<K>;
} & { __stack_pointer: WebAssembly.Global };

interface WasmBackendInternals {
  wasm: {
    /** The one-thread build exports its heap's memory; the threaded build imports it (see `catchSharedHeap`). */
    asm: { memory?: WebAssembly.Memory };
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

let sharedHeap: WebAssembly.Memory | undefined;

/**
 * Runs `start` (tfjs' wasm backend starting) and keeps the shared memory its threaded build makes for its heap:
 * that build imports the memory instead of exporting it, so the backend holds no handle our kernels could import.
 */
export async function catchSharedHeap<T>(start: () => Promise<T>): Promise<T> {
  const Memory = WebAssembly.Memory;
  WebAssembly.Memory = new Proxy(Memory, {
    construct(target, args: [WebAssembly.MemoryDescriptor]) {
      const memory = Reflect.construct(target, args) as WebAssembly.Memory;
      if (args[0]?.shared) sharedHeap = memory;
      return memory;
    },
  });
  try {
    return await start();
  } finally {
    WebAssembly.Memory = Memory;
  }
}

const isShared = (buffer: ArrayBufferLike): boolean =>
  Object.prototype.toString.call(buffer) === '[object SharedArrayBuffer]';

export function simdFor(backend: unknown): Simd {
  const b = backend as WasmBackendInternals;
  let s = loaded.get(b);
  if (!s) {
    const memory = b.wasm.asm.memory ?? sharedHeap;
    if (!memory)
      throw new Error(
        "the wasm backend's heap is not reachable: start tfjs' threaded wasm inside catchSharedHeap (simd.ts)",
      );
    const shared = isShared(memory.buffer);
    const file = shared ? 'kernels-shared.wasm' : 'kernels.wasm';
    const bytes = shared ? simdKernelsWasm(true) : BYTES;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    const k = instance.exports as unknown as SimdExports;
    for (const [name, params] of Object.entries(SIGNATURES)) {
      const f = (k as unknown as Record<string, unknown>)[name];
      if (typeof f !== 'function' || f.length !== params.split(' ').length)
        throw new Error(`${file} does not export ${name}(${params}); rebuild it with src/backend/simd/build.sh`);
    }
    // The module's own stack (unused by the kernels, but reserved by the linker) lives in a block of the
    // backend's heap so it can never overlap tfjs' data.
    const stackSize = 16384;
    k.__stack_pointer.value = (b.wasm._malloc(stackSize) >>> 0) + stackSize;
    s = {
      k,
      at: (info) => b.dataIdMap.get(info.dataId).memoryOffset,
      alloc: (floats) => b.wasm._malloc(floats * 4) >>> 0,
      free: (ptr) => b.wasm._free(ptr),
      view: (ptr, floats) => new Float32Array(memory.buffer, ptr, floats),
    };
    loaded.set(b, s);
  }
  return s;
}
