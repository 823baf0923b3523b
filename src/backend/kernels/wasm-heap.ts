// Zero-copy access to tensors that live on the wasm backend's heap, for kernels written in TypeScript.
// Views must be taken after the last allocation: a heap growth detaches older views.
import type { DataId, TensorInfo } from '@tensorflow/tfjs';

export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  disposeData(dataId: DataId): boolean;
}

export function asWasm(backend: unknown): WasmBackendLike {
  const b = backend as Partial<WasmBackendLike>;
  if (typeof b.typedArrayFromHeap !== 'function' || typeof b.makeOutput !== 'function') {
    throw new Error('this kernel runs only on the wasm backend');
  }
  return b as WasmBackendLike;
}

export function requireFloat32(name: string, ...infos: TensorInfo[]): void {
  for (const t of infos) {
    if (t.dtype !== 'float32') throw new Error(`${name}: expected float32 tensors, got ${t.dtype}`);
  }
}
