// Checkpoints: named float32 tensors (the weights, and one optimizer slot per weight: SGD momentum, or the
// averaged weights of ASGD) in binary files plus a JSON state, written atomically at the end of each
// epoch; restoring one continues a run exactly. Any trainer that says what to keep can be checkpointed:
// searches (with the policy, Adam moments, baseline and RNG positions as state) and trainings alike.
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { replaceDirAtomic } from '../io/atomic.ts';

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
  /** The optimizer slots (the file keeps the name of its first use). */
  momentum: TensorIndex[];
}

export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointError';
  }
}

/** What a trainer keeps in a checkpoint and how it takes it back. */
export interface Checkpointable<S> {
  /** Names the kind of checkpoint, so one is never restored into the wrong trainer. */
  readonly checkpointFormat: string;
  readonly config: unknown;
  checkpointTensors(): { weights: Map<string, Variable>; slots: Map<string, Tensor> };
  state(): S;
  /** Puts back the state and the slots (the checkpoint owns them now); the weights are restored already. */
  restore(state: S, slots: Map<string, Tensor>): void;
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

export function saveCheckpoint<S>(dir: string, t: Checkpointable<S>): void {
  const { weights, slots } = t.checkpointTensors();
  const w = pack([...weights.entries()]);
  const m = pack([...slots.entries()]);
  const file: CheckpointFile<S, unknown> = { format: t.checkpointFormat, version: 1, config: t.config, state: t.state(), weights: w.index, momentum: m.index };
  replaceDirAtomic(dir, (tmp) => {
    writeFileSync(join(tmp, 'weights.bin'), w.bytes);
    writeFileSync(join(tmp, 'momentum.bin'), m.bytes);
    writeFileSync(join(tmp, 'state.json'), JSON.stringify(file));
  });
}

function readCheckpointFile<S, C>(dir: string, format: string): CheckpointFile<S, C> {
  const path = join(dir, 'state.json');
  if (!existsSync(path)) throw new CheckpointError(`no checkpoint in ${dir} (state.json is missing); start a new run instead of --resume.`);
  const file = JSON.parse(readFileSync(path, 'utf8')) as CheckpointFile<S, C>;
  if (file.format !== format || file.version !== 1) throw new CheckpointError(`${path} is not a ${format} checkpoint (version 1).`);
  return file;
}

/** The settings the checkpointed run was made with. */
export const readCheckpointConfig = <C>(dir: string, format: string): C => readCheckpointFile<unknown, C>(dir, format).config;

/** Restores a trainer built with the checkpoint's config: weights (same names and shapes), slots, state. */
export function loadCheckpoint<S>(dir: string, t: Checkpointable<S>): void {
  const file = readCheckpointFile<S, unknown>(dir, t.checkpointFormat);
  const { weights } = t.checkpointTensors();
  const saved = unpack(join(dir, 'weights.bin'), file.weights);
  try {
    for (const [name, v] of saved) {
      const w = weights.get(name);
      if (!w || w.shape.join() !== v.shape.join()) {
        throw new CheckpointError(`checkpoint weight ${name} ${JSON.stringify(v.shape)} does not fit this network: it was made with another configuration.`);
      }
      w.assign(v);
    }
  } finally {
    tf.dispose([...saved.values()]);
  }
  t.restore(file.state, unpack(join(dir, 'momentum.bin'), file.momentum));
}
