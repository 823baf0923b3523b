// A token stream consumed in BPTT windows with the hidden state carried from one window to the next
// (truncated backpropagation through time: the state is a constant for the next window's gradients).
import * as tf from '@tensorflow/tfjs';
import type { Tensor2D } from '@tensorflow/tfjs';
import { batchify, bpttBatch, type Batchified } from '../data/ptb-text.ts';
import type { Rng } from '../random/rng.ts';

/**
 * DARTS' variable BPTT length (after AWD-LSTM): a base of `bptt` with probability 0.95, else bptt / 2;
 * the length max(5, int(N(base, 5))), at most bptt + maxDelta.
 */
export function windowLength(rng: Rng, bptt: number, maxDelta: number): number {
  const base = rng.uniform() < 0.95 ? bptt : bptt / 2;
  return Math.min(Math.max(5, Math.trunc(base + 5 * rng.normal())), bptt + maxDelta);
}

export class BpttStream {
  readonly data: Batchified;
  /** Next window's first row. */
  position = 0;
  hidden: Tensor2D;

  constructor(
    tokens: Int32Array,
    batchSize: number,
    readonly bptt: number,
    readonly hiddenSize: number,
  ) {
    this.data = batchify(tokens, batchSize);
    this.hidden = tf.zeros([batchSize, hiddenSize]);
  }

  /** Windows in one pass. */
  get windows(): number {
    return Math.ceil((this.data.steps - 1) / this.bptt);
  }

  /** Whether one pass is complete (the next window starts the stream over). */
  get done(): boolean {
    return this.position >= this.data.steps - 1;
  }

  /** The next window (of `length` steps, else the BPTT length); at the end of the data the stream starts over with a
   * zero state.
   */
  next(length = this.bptt): { x: Tensor2D; y: Tensor2D; length: number } {
    if (this.done) this.reset();
    const batch = bpttBatch(this.data, this.position, length);
    this.position += batch.length;
    return batch;
  }

  /**
   * The next window as arrays of each worker's streams (columns `ranges` of the [T, B] window), for
   * data-parallel steps; the workers carry their streams' hidden states. `fresh` marks the first window
   * after the stream started over (their states start at zero).
   */
  nextShards(
    length: number,
    ranges: { start: number; end: number }[],
  ): { shards: { x: Int32Array; y: Int32Array; shape: number[] }[]; length: number; fresh: boolean } {
    const fresh = this.position === 0 || this.done;
    if (this.done) this.reset();
    const T = Math.min(length, this.data.steps - 1 - this.position);
    const B = this.data.batchSize;
    const shards = ranges.map(({ start, end }) => {
      const b = end - start;
      const x = new Int32Array(T * b),
        y = new Int32Array(T * b);
      for (let t = 0; t < T; t++) {
        x.set(this.data.data.subarray((this.position + t) * B + start, (this.position + t) * B + end), t * b);
        y.set(this.data.data.subarray((this.position + t + 1) * B + start, (this.position + t + 1) * B + end), t * b);
      }
      return { x, y, shape: [T, b] };
    });
    this.position += T;
    return { shards, length: T, fresh };
  }

  /** Keeps `hidden` (a copy is taken) as the state for the next window. */
  carry(hidden: Tensor2D): void {
    this.hidden.dispose();
    this.hidden = tf.keep(hidden.clone());
  }

  reset(): void {
    this.position = 0;
    this.hidden.dispose();
    this.hidden = tf.zeros([this.data.batchSize, this.hiddenSize]);
  }

  dispose(): void {
    this.hidden.dispose();
  }
}
