// Checkpoints: named float32 tensors (weights, SGD momentum) in binary files plus a JSON state, written
// atomically at the end of each epoch; restoring one continues a run exactly. Used by the search (with
// the policy, Adam moments, baseline and RNG positions as state) and by evaluation training.
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { replaceDirAtomic } from './atomic.ts';
import type { Search, SearchState } from './search.ts';
import type { SearchConfig } from './search-config.ts';

interface TensorIndex {
  name: string;
  shape: number[];
}

interface CheckpointFile<S, C> {
  format: string;
  version: 1;
  config: C;
  state: S;
  weights: TensorIndex[];
  momentum: TensorIndex[];
}

export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointError';
  }
}

function pack(tensors: [string, Tensor][]): { index: TensorIndex[]; bytes: Uint8Array } {
  const out = new Float32Array(tensors.reduce((n, [, t]) => n + t.size, 0));
  let offset = 0;
  for (const [, t] of tensors) {
    out.set(t.dataSync() as Float32Array, offset);
    offset += t.size;
  }
  return { index: tensors.map(([name, t]) => ({ name, shape: t.shape })), bytes: new Uint8Array(out.buffer) };
}

function unpack(path: string, index: TensorIndex[]): Map<string, Tensor> {
  const raw = readFileSync(path);
  const values = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
  const expected = index.reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0);
  if (values.length !== expected) throw new CheckpointError(`${path} holds ${values.length} values, the index lists ${expected}: the checkpoint is damaged.`);
  const out = new Map<string, Tensor>();
  let offset = 0;
  for (const t of index) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    out.set(t.name, tf.tensor(values.slice(offset, offset + size), t.shape));
    offset += size;
  }
  return out;
}

export interface Trainable<S, C> {
  format: string;
  config: C;
  weights: Map<string, Variable>;
  momentum: Map<string, Tensor>;
  state(): S;
}

export function writeCheckpoint<S, C>(dir: string, t: Trainable<S, C>): void {
  const weights = pack([...t.weights.entries()]);
  const momentum = pack([...t.momentum.entries()]);
  const file: CheckpointFile<S, C> = { format: t.format, version: 1, config: t.config, state: t.state(), weights: weights.index, momentum: momentum.index };
  replaceDirAtomic(dir, (tmp) => {
    writeFileSync(join(tmp, 'weights.bin'), weights.bytes);
    writeFileSync(join(tmp, 'momentum.bin'), momentum.bytes);
    writeFileSync(join(tmp, 'state.json'), JSON.stringify(file));
  });
}

export function readCheckpointFile<S, C>(dir: string, format: string): CheckpointFile<S, C> {
  const path = join(dir, 'state.json');
  if (!existsSync(path)) throw new CheckpointError(`no checkpoint in ${dir} (state.json is missing); start a new run instead of --resume.`);
  const file = JSON.parse(readFileSync(path, 'utf8')) as CheckpointFile<S, C>;
  if (file.format !== format || file.version !== 1) throw new CheckpointError(`${path} is not a ${format} checkpoint (version 1).`);
  return file;
}

/** Puts the checkpoint's weights into `weights` (same names and shapes) and returns its momentum buffers and state. */
export function restoreCheckpoint<S, C>(dir: string, format: string, weights: Map<string, Variable>): { state: S; momentum: Map<string, Tensor> } {
  const file = readCheckpointFile<S, C>(dir, format);
  const saved = unpack(join(dir, 'weights.bin'), file.weights);
  try {
    for (const [name, t] of saved) {
      const v = weights.get(name);
      if (!v || v.shape.join() !== t.shape.join()) {
        throw new CheckpointError(`checkpoint weight ${name} ${JSON.stringify(t.shape)} does not fit this network: it was made with another configuration.`);
      }
      v.assign(t);
    }
  } finally {
    tf.dispose([...saved.values()]);
  }
  return { state: file.state, momentum: unpack(join(dir, 'momentum.bin'), file.momentum) };
}

const SEARCH_FORMAT = 'ednas-search-checkpoint';

export const saveCheckpoint = (dir: string, search: Search): void =>
  writeCheckpoint(dir, { format: SEARCH_FORMAT, config: search.config, weights: search.supernet.weights, momentum: search.sgd.buffers, state: () => search.state() });

export const readCheckpointConfig = (dir: string): SearchConfig => readCheckpointFile<SearchState, SearchConfig>(dir, SEARCH_FORMAT).config;

/** Restores weights, momentum and state into a Search built with the checkpoint's config. */
export function loadCheckpoint(dir: string, search: Search): void {
  const { state, momentum } = restoreCheckpoint<SearchState, SearchConfig>(dir, SEARCH_FORMAT, search.supernet.weights);
  search.sgd.replaceBuffers(momentum);
  search.restoreState(state);
}
