// A run directory: manifest (config, seed, backend, versions, data checksums), tables written with arquero,
// checkpoints and the genotype. Every file is written atomically.
import * as tf from '@tensorflow/tfjs';
import { from, type ColumnTable } from 'arquero';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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
