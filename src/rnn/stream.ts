// A token stream consumed in BPTT windows with the hidden state carried from one window to the next
// (truncated backpropagation through time: the state is a constant for the next window's gradients).
import * as tf from '@tensorflow/tfjs';
import type { Tensor2D } from '@tensorflow/tfjs';
import { batchify, bpttBatch, type Batchified } from '../data/ptb.ts';

export class BpttStream {
  readonly data: Batchified;
  /** Next window's first row. */
  position = 0;
  hidden: Tensor2D;

  constructor(tokens: Int32Array, batchSize: number, readonly bptt: number, readonly hiddenSize: number) {
    this.data = batchify(tokens, batchSize);
    this.hidden = tf.zeros([batchSize, hiddenSize]);
  }

  /** Windows in one pass. */
  get windows(): number {
    return Math.ceil((this.data.steps - 1) / this.bptt);
  }

  /** The next window; at the end of the data the stream starts over with a zero state. */
  next(): { x: Tensor2D; y: Tensor2D; length: number } {
    if (this.position >= this.data.steps - 1) this.reset();
    const batch = bpttBatch(this.data, this.position, this.bptt);
    this.position += batch.length;
    return batch;
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
