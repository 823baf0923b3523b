// Search checkpoints: every supernet weight and SGD momentum buffer (float32, one binary file) plus the
// search state (policy logits, Adam moments, baseline, both RNG positions, records) as JSON. Written
// atomically at the end of each epoch; resuming from one continues the run exactly.
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Search, SearchState } from './search.ts';
import type { SearchConfig } from './search-config.ts';
import { replaceDirAtomic } from './atomic.ts';

interface TensorIndex {
  name: string;
  shape: number[];
}

interface CheckpointFile {
  format: 'ednas-search-checkpoint';
  version: 1;
  config: SearchConfig;
  state: SearchState;
  weights: TensorIndex[];
  momentum: TensorIndex[];
}

export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointError';
  }
}

function pack(tensors: [string, tf.Tensor][]): { index: TensorIndex[]; bytes: Uint8Array } {
  const size = tensors.reduce((n, [, t]) => n + t.size, 0);
  const out = new Float32Array(size);
  let offset = 0;
  for (const [, t] of tensors) {
    out.set(t.dataSync() as Float32Array, offset);
    offset += t.size;
  }
  return { index: tensors.map(([name, t]) => ({ name, shape: t.shape })), bytes: new Uint8Array(out.buffer) };
}

export function saveCheckpoint(dir: string, search: Search): void {
  const weights = pack([...search.supernet.weights.entries()]);
  const momentum = pack([...search.sgd.buffers.entries()]);
  const file: CheckpointFile = { format: 'ednas-search-checkpoint', version: 1, config: search.config, state: search.state(), weights: weights.index, momentum: momentum.index };
  replaceDirAtomic(dir, (tmp) => {
    writeFileSync(join(tmp, 'weights.bin'), weights.bytes);
    writeFileSync(join(tmp, 'momentum.bin'), momentum.bytes);
    writeFileSync(join(tmp, 'state.json'), JSON.stringify(file));
  });
}

export function readCheckpointConfig(dir: string): SearchConfig {
  return readState(dir).config;
}

function readState(dir: string): CheckpointFile {
  const path = join(dir, 'state.json');
  if (!existsSync(path)) throw new CheckpointError(`no checkpoint in ${dir} (state.json is missing); start a new run instead of --resume.`);
  const file = JSON.parse(readFileSync(path, 'utf8')) as CheckpointFile;
  if (file.format !== 'ednas-search-checkpoint' || file.version !== 1) throw new CheckpointError(`${path} is not an EDNAS search checkpoint (version 1).`);
  return file;
}

function unpack(path: string, index: TensorIndex[]): Map<string, tf.Tensor> {
  const raw = readFileSync(path);
  const values = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
  const expected = index.reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0);
  if (values.length !== expected) throw new CheckpointError(`${path} holds ${values.length} values, the index lists ${expected}: the checkpoint is damaged.`);
  const out = new Map<string, tf.Tensor>();
  let offset = 0;
  for (const t of index) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    out.set(t.name, tf.tensor(values.slice(offset, offset + size), t.shape));
    offset += size;
  }
  return out;
}

/** Restores weights, momentum and state into a Search built with the checkpoint's config. */
export function loadCheckpoint(dir: string, search: Search): void {
  const file = readState(dir);
  const weights = unpack(join(dir, 'weights.bin'), file.weights);
  for (const [name, t] of weights) {
    const v = search.supernet.weights.get(name);
    if (!v || v.shape.join() !== t.shape.join()) {
      tf.dispose([...weights.values()]);
      throw new CheckpointError(`checkpoint weight ${name} ${JSON.stringify(t.shape)} does not fit this supernet: it was made with another configuration.`);
    }
    v.assign(t);
  }
  tf.dispose([...weights.values()]);
  search.sgd.dispose();
  for (const [name, t] of unpack(join(dir, 'momentum.bin'), file.momentum)) search.sgd.buffers.set(name, t);
  search.restoreState(file.state);
}
