// UnsortedSegmentSum on wasm, which tfjs 4.22 lacks: the gradient of gather, i.e. of a word embedding
// (rows of dy summed into the rows of the embedding they were read from).
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asWasm, requireFloat32 } from './wasm-heap.ts';

const unsortedSegmentSum: KernelFunc = ({ inputs, attrs, backend }) => {
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const numSegments = (attrs as { numSegments: number }).numSegments;
  requireFloat32('UnsortedSegmentSum', x);
  const rows = segmentIds.shape.reduce((a, b) => a * b, 1);
  const inner = x.shape.slice(segmentIds.shape.length).reduce((a, b) => a * b, 1);
  const ids = (backend as { readSync(id: unknown): Int32Array }).readSync(segmentIds.dataId);
  const heap = asWasm(backend);
  const out = heap.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], 'float32');
  // Views after the last allocation (see wasm-heap.ts).
  const o = heap.typedArrayFromHeap(out);
  const v = heap.typedArrayFromHeap(x);
  o.fill(0);
  for (let r = 0; r < rows; r++) {
    const s = ids[r];
    if (s < 0 || s >= numSegments) continue;
    const src = r * inner,
      dst = s * inner;
    for (let k = 0; k < inner; k++) o[dst + k] += v[src + k];
  }
  return out;
};

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum,
};
