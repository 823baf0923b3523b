// A run directory: manifest (config, seed, backend, versions, data checksums), tables written with arquero,
// checkpoints and the genotype. Every file is written atomically.
import * as tf from '@tensorflow/tfjs';
import { from, type ColumnTable } from 'arquero';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../version.ts';
import type { BackendInfo } from '../backend/select.ts';
import type { DataFile } from '../data/cifar10.ts';
import { CELL_TYPES, genotypeToDarts, genotypeToJson, type Genotype } from '../space/genotype.ts';
import { OP_NAMES } from '../space/ops.ts';
import { writeFileAtomic } from './atomic.ts';
import type { Search } from './search.ts';

export interface Manifest {
  kind: 'search' | 'evaluate' | 'pipeline';
  status: 'running' | 'cancelled' | 'failed' | 'finished';
  command: string;
  preset?: string;
  config: unknown;
  seed: number;
  backend: { name: string; package: string; version: string; threads: number };
  versions: { ednas: string; tfjs: string; node: string };
  data: { dir: string; source: string; files: DataFile[] };
  started: string;
  finished?: string;
  wall_s?: number;
  result?: Record<string, unknown>;
}

/** What every long run takes: where it writes, where the data is, how to stop it and what to report. */
export interface RunOptions<Event, Record> {
  out: string;
  data?: string;
  preset?: string;
  command?: string;
  /** Continue the run in `out` from its checkpoint (its config wins; `epochs` may extend it). */
  resume?: boolean;
  signal?: AbortSignal;
  onEvent?: (e: Event) => void;
  onEpoch?: (r: Record) => void;
}

export class RunDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunDirError';
  }
}

/** A new run may not write into a folder that already holds files (they would be mixed). */
export function assertFreshRunDir(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new RunDirError(`${dir} already holds files; pass --resume to continue that run, or choose another --out.`);
  }
}

export function describeEnvironment(backend: BackendInfo): Pick<Manifest, 'backend' | 'versions'> {
  return {
    backend: { name: backend.name, package: backend.package, version: backend.version, threads: backend.threads },
    versions: { ednas: VERSION, tfjs: tf.version.tfjs, node: process.versions.node },
  };
}

export const writeManifest = (dir: string, m: Manifest) => writeFileAtomic(join(dir, 'manifest.json'), JSON.stringify(m, null, 2) + '\n');
export const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));

/** epochs.csv, steps.csv, and every probability vector after each epoch as policy.json and policy.csv. */
export function writeSearchTables(dir: string, search: Search): void {
  if (search.epochs.length) writeFileAtomic(join(dir, 'epochs.csv'), from(search.epochs).toCSV());
  if (search.steps.length) writeFileAtomic(join(dir, 'steps.csv'), from(search.steps).toCSV());
  writeFileAtomic(join(dir, 'policy.json'), JSON.stringify(search.policyHistory));
  writeFileAtomic(join(dir, 'policy.csv'), policyTable(search.policyHistory).toCSV());
}

/**
 * The policy history in long form, one probability a row: structure rows give the probability that node
 * `node` (0-3) takes `input` first; operation rows the probability of `op` on edge (node, input).
 */
export function policyTable(history: Search['policyHistory']): ColumnTable {
  const rows: { epoch: number; cell: string; vector: string; node: number; input: number; op: string; probability: number }[] = [];
  for (const { epoch, probabilities } of history) {
    for (const cell of CELL_TYPES) {
      const p = probabilities[cell];
      p.structure.forEach((v, node) => v.forEach((probability, input) => rows.push({ epoch, cell, vector: 'structure', node, input, op: '', probability })));
      p.operation.forEach((edges, node) => edges.forEach((v, input) => v.forEach((probability, k) => rows.push({ epoch, cell, vector: 'operation', node, input, op: OP_NAMES[k], probability }))));
    }
  }
  return from(rows);
}

export function writeGenotype(dir: string, g: Genotype): void {
  writeFileAtomic(join(dir, 'genotype.json'), genotypeToJson(g));
  writeFileAtomic(join(dir, 'genotype.txt'), genotypeToDarts(g) + '\n');
}

/**
 * The start of a run: a fresh directory, or (resume) the config of its checkpoint with `epochs` from the
 * command (which may extend the run) and the manifest written when it began.
 */
export function openRunDir<C extends { epochs: number }>(o: Pick<RunOptions<never, never>, 'out' | 'resume' | 'data'>, config: C, checkpointConfig: () => C): { config: C; manifest?: Manifest } {
  if (!o.resume) {
    assertFreshRunDir(o.out);
    return { config };
  }
  return { config: { ...checkpointConfig(), epochs: config.epochs }, manifest: readManifest(o.out) };
}

/** The data folder to read: the one given, else (resume) the one the run was started with if it was given. */
export const resumedDataDir = (o: Pick<RunOptions<never, never>, 'out' | 'resume' | 'data'>, manifest?: Manifest): string | undefined =>
  o.data ?? (manifest?.data.source === 'given' ? manifest.data.dir : undefined);

export interface EpochTrainer<Event, Rec extends { wall_s: number }> {
  epoch: number;
  readonly epochs: Rec[];
  runEpoch(o: { signal?: AbortSignal; onEvent?: (e: Event) => void }): Promise<Rec>;
  dispose(): void;
}

/**
 * Runs the remaining epochs of `trainer` with the manifest kept current: `afterEpoch` writes checkpoint and
 * tables, `finish` the results (merged into the finished manifest). On failure or cancellation the
 * manifest says so, the trainer is disposed and the error is rethrown.
 */
export async function trainInRunDir<Event, Rec extends { wall_s: number }>(
  o: RunOptions<Event, Rec>, trainer: EpochTrainer<Event, Rec>, epochs: number, manifest: Manifest,
  afterEpoch: () => void, finish: () => Promise<Record<string, unknown>>,
): Promise<Manifest> {
  mkdirSync(o.out, { recursive: true });
  writeManifest(o.out, manifest);
  try {
    while (trainer.epoch < epochs) {
      const record = await trainer.runEpoch({ signal: o.signal, onEvent: o.onEvent });
      afterEpoch();
      o.onEpoch?.(record);
    }
    const result = await finish();
    const finished: Manifest = { ...manifest, status: 'finished', finished: new Date().toISOString(), wall_s: trainer.epochs.reduce((s, e) => s + e.wall_s, 0), result };
    writeManifest(o.out, finished);
    return finished;
  } catch (e) {
    writeManifest(o.out, { ...manifest, status: (e as Error).name === 'AbortError' ? 'cancelled' : 'failed' });
    trainer.dispose();
    throw e;
  }
}

/** A manifest for a run that starts now, or the resumed run's with the current config and environment. */
export function startManifest(previous: Manifest | undefined, fresh: () => Omit<Manifest, 'config' | 'status' | 'backend' | 'versions'>, config: unknown, backend: BackendInfo): Manifest {
  return { ...(previous ?? fresh()), config, status: 'running', ...describeEnvironment(backend) } as Manifest;
}
