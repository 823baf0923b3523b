// Checkpoints: named float32 tensors (the weights, and one optimizer slot per weight: SGD momentum, or the
// averaged weights of ASGD) in binary files plus a JSON state, written atomically at the end of each
// epoch; restoring one continues a run exactly. What a trainer keeps is train/checkpoint.ts' Checkpointable.
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { CheckpointError, type Checkpointable } from '../train/checkpoint.ts';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { replaceDirAtomic, staleTemporaries } from '../io/atomic.ts';
import { readJson } from '../io/json.ts';

export { CheckpointError, type Checkpointable } from '../train/checkpoint.ts';

interface TensorIndex {
  name: string;
  shape: number[];
}

interface CheckpointFile<S, C> {
  format: string;
  /** 2: with the sha256 of each binary file (checked on restore); 1: without. */
  version: 1 | 2;
  config: C;
  state: S;
  weights: TensorIndex[];
  /** The optimizer slots (the file keeps the name of its first use). */
  momentum: TensorIndex[];
  sha256?: Record<string, string>;
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

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function unpack(path: string, index: TensorIndex[], checksum?: string): Map<string, Tensor> {
  const raw = readFileSync(path);
  if (checksum !== undefined && sha256(raw) !== checksum) {
    throw new CheckpointError(
      `${path} does not match the checksum its checkpoint recorded: the file was changed or damaged after it was ` +
        `written. Resume from a copy of the run, or start a new run.`,
    );
  }
  const values = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
  const expected = index.reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0);
  if (values.length !== expected)
    throw new CheckpointError(
      `${path} holds ${values.length} values, the index lists ${expected}: the checkpoint is damaged.`,
    );
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
  const file: CheckpointFile<S, unknown> = {
    format: t.checkpointFormat,
    version: 2,
    config: t.config,
    state: t.state(),
    weights: w.index,
    momentum: m.index,
    sha256: { 'weights.bin': sha256(w.bytes), 'momentum.bin': sha256(m.bytes) },
  };
  // state.json last: a folder with it is complete.
  replaceDirAtomic(dir, (tmp) => {
    writeFileSync(join(tmp, 'weights.bin'), w.bytes);
    writeFileSync(join(tmp, 'momentum.bin'), m.bytes);
    writeFileSync(join(tmp, 'state.json'), JSON.stringify(file));
  });
}

function readCheckpointFile<S, C>(dir: string, format?: string): CheckpointFile<S, C> {
  const path = join(dir, 'state.json');
  if (!existsSync(path))
    throw new CheckpointError(`no checkpoint in ${dir} (state.json is missing); start a new run instead of --resume.`);
  const file = readJson<Partial<CheckpointFile<S, C>>>(path, 'the checkpoint state');
  for (const field of ['format', 'version', 'config', 'state', 'weights', 'momentum'] as const) {
    if (file[field] === undefined)
      throw new CheckpointError(`${path} has no "${field}" field: the checkpoint is damaged.`);
  }
  if ((format !== undefined && file.format !== format) || (file.version !== 1 && file.version !== 2)) {
    throw new CheckpointError(
      `${path} is not ${format ? `a ${format}` : 'an EDNAS'} checkpoint (version 1 or 2): it ` +
        `holds ${JSON.stringify(file.format)} version ${JSON.stringify(file.version)}.`,
    );
  }
  return file as CheckpointFile<S, C>;
}

/** Whether `dir` holds a whole checkpoint: its state, and binary files that match their checksums. */
function complete(dir: string): { epoch: number } | undefined {
  try {
    const file = readCheckpointFile<{ epoch?: number }, unknown>(dir);
    for (const name of ['weights.bin', 'momentum.bin']) {
      const sum = file.sha256?.[name];
      if (sum !== undefined && sha256(readFileSync(join(dir, name))) !== sum) return undefined;
    }
    return { epoch: file.state.epoch ?? 0 };
  } catch {
    return undefined;
  }
}

/**
 * Puts the newest whole checkpoint in place after a crash, whenever it came: during a write (a partial
 * `checkpoint.tmp-<pid>` of a dead process), between the swap's two renames (no `checkpoint/`, a whole
 * `checkpoint.tmp-*` and the previous one as `checkpoint.old`), or after them. Leftovers are removed. A
 * damaged `checkpoint/` itself is left for restoring to refuse, never silently replaced by an older one.
 */
export function recoverCheckpoint(dir: string): void {
  const leftovers = [
    ...staleTemporaries(dirname(dir)).filter((p) => basename(p).startsWith(`${basename(dir)}.tmp-`)),
    `${dir}.old`,
  ].filter((p) => existsSync(p));
  if (!existsSync(dir)) {
    const best = leftovers
      .map((p) => ({ p, c: complete(p) }))
      .filter((x) => x.c)
      .sort((a, b) => b.c!.epoch - a.c!.epoch)[0];
    if (best) renameSync(best.p, dir);
  }
  for (const p of leftovers) rmSync(p, { recursive: true, force: true });
}

export const hasCheckpoint = (dir: string): boolean => existsSync(join(dir, 'state.json'));

/** The settings the checkpointed run was made with. */
export const readCheckpointConfig = <C>(dir: string, format: string): C =>
  readCheckpointFile<unknown, C>(dir, format).config;

/** Restores a trainer built with the checkpoint's config: weights (same names and shapes), slots, state. */
export function loadCheckpoint<S>(dir: string, t: Checkpointable<S>): void {
  const file = readCheckpointFile<S, unknown>(dir, t.checkpointFormat);
  const { weights } = t.checkpointTensors();
  const saved = unpack(join(dir, 'weights.bin'), file.weights, file.sha256?.['weights.bin']);
  let slots: Map<string, Tensor>;
  try {
    for (const [name, v] of saved) {
      const w = weights.get(name);
      if (!w || w.shape.join() !== v.shape.join()) {
        throw new CheckpointError(
          `checkpoint weight ${name} ${JSON.stringify(v.shape)} does not fit this network: it was made with another ` +
            `configuration.`,
        );
      }
      w.assign(v);
    }
    slots = unpack(join(dir, 'momentum.bin'), file.momentum, file.sha256?.['momentum.bin']);
  } finally {
    tf.dispose([...saved.values()]);
  }
  t.restore(file.state, slots);
}
