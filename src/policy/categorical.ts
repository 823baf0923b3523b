// Softmax distributions over a slice of the logits, optionally with one entry removed (the second input
// of a node is drawn from the candidates left after the first). Log-probabilities, entropies and their
// gradients with respect to the logits are exact closed forms, in double precision.

export interface Draw {
  offset: number;
  size: number;
  /** The chosen entry, 0-based within the slice. */
  picked: number;
  /** An entry excluded from the distribution (probability 0), if any. */
  excluded?: number;
}

export function probabilities(
  logits: ArrayLike<number>,
  offset: number,
  size: number,
  excluded?: number,
): Float64Array {
  const p = new Float64Array(size);
  let max = -Infinity;
  for (let k = 0; k < size; k++) if (k !== excluded) max = Math.max(max, logits[offset + k]);
  let sum = 0;
  for (let k = 0; k < size; k++) {
    p[k] = k === excluded ? 0 : Math.exp(logits[offset + k] - max);
    sum += p[k];
  }
  for (let k = 0; k < size; k++) p[k] /= sum;
  return p;
}

export const entropyOf = (p: Float64Array): number => p.reduce((h, q) => (q > 0 ? h - q * Math.log(q) : h), 0);

export function logProbOf(logits: ArrayLike<number>, d: Draw): number {
  return Math.log(probabilities(logits, d.offset, d.size, d.excluded)[d.picked]);
}

/** Adds scale * d log p(picked) / d logits (= onehot - p) into grad. */
export function addLogProbGrad(logits: ArrayLike<number>, d: Draw, scale: number, grad: Float64Array): void {
  const p = probabilities(logits, d.offset, d.size, d.excluded);
  for (let k = 0; k < d.size; k++) grad[d.offset + k] += scale * ((k === d.picked ? 1 : 0) - p[k]);
}

/** Adds scale * d H / d logits (= -p (log p + H)) into grad. */
export function addEntropyGrad(logits: ArrayLike<number>, d: Draw, scale: number, grad: Float64Array): void {
  const p = probabilities(logits, d.offset, d.size, d.excluded);
  const h = entropyOf(p);
  for (let k = 0; k < d.size; k++) if (p[k] > 0) grad[d.offset + k] += scale * -p[k] * (Math.log(p[k]) + h);
}
