// Penn Treebank, word level (Mikolov's preprocessing), as text in memory: tokens as in DARTS/AWD-LSTM (the
// words of each line plus an end-of-sentence token; one vocabulary over the three files in order, so the
// real files give 10,000 words), and the batches cut from them. Reading the files is ptb.ts' (Node).
import * as tf from '@tensorflow/tfjs';
import type { DataFile } from './cifar10-decode.ts';
import { DataError } from './errors.ts';

export const EOS = '<eos>';

export class Vocabulary {
  readonly words: string[] = [];
  private readonly index = new Map<string, number>();

  add(word: string): number {
    let id = this.index.get(word);
    if (id === undefined) {
      id = this.words.length;
      this.words.push(word);
      this.index.set(word, id);
    }
    return id;
  }

  id(word: string): number | undefined {
    return this.index.get(word);
  }

  get size(): number {
    return this.words.length;
  }
}

export interface Ptb {
  vocabulary: Vocabulary;
  train: Int32Array;
  valid: Int32Array;
  test: Int32Array;
  dir: string;
  files: DataFile[];
}

/** Word ids of a text, one end-of-sentence token per line; unseen words join the vocabulary. */
export function tokenize(text: string, vocabulary: Vocabulary): Int32Array {
  const ids: number[] = [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) {
    for (const word of line.split(/\s+/)) if (word) ids.push(vocabulary.add(word));
    ids.push(vocabulary.add(EOS));
  }
  return Int32Array.from(ids);
}

/** A token stream cut into `batchSize` parallel streams: row t holds token t of every stream ([steps, batch]). */
export interface Batchified {
  data: Int32Array;
  steps: number;
  batchSize: number;
}

export function batchify(tokens: Int32Array, batchSize: number): Batchified {
  const steps = Math.floor(tokens.length / batchSize);
  if (steps < 2)
    throw new DataError(
      `cannot batchify ${tokens.length} tokens into ${batchSize} streams: need at least 2 tokens per stream.`,
    );
  const data = new Int32Array(steps * batchSize);
  for (let b = 0; b < batchSize; b++) for (let t = 0; t < steps; t++) data[t * batchSize + b] = tokens[b * steps + t];
  return { data, steps, batchSize };
}

/** Inputs rows [start, start+len) and targets one row later, for truncated BPTT; len is cut at the end. */
export function bpttBatch(
  source: Batchified,
  start: number,
  bptt: number,
): { x: tf.Tensor2D; y: tf.Tensor2D; length: number } {
  const length = Math.min(bptt, source.steps - 1 - start);
  if (length <= 0) throw new RangeError(`bpttBatch: start ${start} is past the last batch (${source.steps - 2})`);
  const b = source.batchSize;
  const x = tf.tensor2d(source.data.subarray(start * b, (start + length) * b), [length, b], 'int32');
  const y = tf.tensor2d(source.data.subarray((start + 1) * b, (start + 1 + length) * b), [length, b], 'int32');
  return { x, y, length };
}

/**
 * The EDNAS split of a token stream: the first `limit` tokens (all when undefined), of which the last
 * `policyFraction` reward the policy and the rest train the weights; contiguous, so sentences stay whole.
 */
export function splitTokens(
  tokens: Int32Array,
  o: { limit?: number; policyFraction: number },
): { weight: Int32Array; policy: Int32Array } {
  const used = tokens.subarray(0, Math.min(o.limit ?? tokens.length, tokens.length));
  const cut = Math.round(used.length * (1 - o.policyFraction));
  return { weight: used.subarray(0, cut), policy: used.subarray(cut) };
}
