// Seeded weight initialisation matching PyTorch's defaults, so a search starts where DARTS' would:
// convolutions and the classifier U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (kaiming_uniform with a = sqrt(5)),
// batch-norm scale 1 and shift 0.
import type { Rng } from '../random/rng.ts';

/** Depthwise filters ([k, k, C, 1]) see one input channel; their names start with "dw". */
function fanIn(name: string, shape: number[]): number {
  const leaf = name.slice(name.lastIndexOf('.') + 1);
  if (shape.length === 4) return shape[0] * shape[1] * (leaf.startsWith('dw') ? 1 : shape[2]);
  return shape[0];
}

export function initialValues(name: string, shape: number[], rng: Rng, fanInOverride?: number): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  if (name.endsWith('.gamma')) return new Float32Array(size).fill(1);
  if (name.endsWith('.beta')) return new Float32Array(size);
  const bound = 1 / Math.sqrt(fanInOverride ?? fanIn(name, shape));
  const out = new Float32Array(size);
  for (let k = 0; k < size; k++) out[k] = (2 * rng.uniform() - 1) * bound;
  return out;
}
