// Concatenation along channels (NHWC, last axis) and its inverse for the wasm backend. tfjs 4.22 copies
// one short row at a time for Concat and slices for SplitV (~4 and ~13 ms for a cell's output here);
// these copy rows with memory.copy inside the heap.
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asWasm, requireFloat32 } from './wasm-heap.ts';
import { simdFor } from '../simd/simd.ts';
import { fastKernel } from './fast.ts';

export const CONCAT_CHANNELS = 'EdnasConcatChannels';
export const SPLIT_CHANNELS = 'EdnasSplitChannels';

const concatChannels: KernelFunc = ({ inputs, backend }) => {
  const parts = Object.values(inputs) as TensorInfo[];
  requireFloat32(CONCAT_CHANNELS, ...parts);
  const simd = simdFor(backend);
  const widths = parts.map((p) => p.shape[p.shape.length - 1]);
  const total = widths.reduce((a, b) => a + b, 0);
  const out = asWasm(backend).makeOutput([...parts[0].shape.slice(0, -1), total], 'float32');
  const rows = parts[0].shape.slice(0, -1).reduce((a, b) => a * b, 1);
  let offset = 0;
  parts.forEach((p, k) => {
    simd.k.copy_into_columns(simd.at(p), simd.at(out), rows, widths[k], total, offset);
    offset += widths[k];
  });
  return out;
};

const splitChannels: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x } = inputs as { x: TensorInfo };
  const widths = (attrs as { widths: number[] }).widths;
  requireFloat32(SPLIT_CHANNELS, x);
  const simd = simdFor(backend);
  const total = x.shape[x.shape.length - 1];
  const rows = x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
  let offset = 0;
  return widths.map((w) => {
    const part = asWasm(backend).makeOutput([...x.shape.slice(0, -1), w], 'float32');
    simd.k.copy_from_columns(simd.at(x), simd.at(part), rows, w, total, offset);
    offset += w;
    return part;
  });
};

export const concatChannelsConfig = fastKernel(CONCAT_CHANNELS, concatChannels);
export const splitChannelsConfig = fastKernel(SPLIT_CHANNELS, splitChannels);
