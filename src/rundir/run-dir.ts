// The run directory, written and read here only: manifest.json (task, kind, config, seed, backend,
// versions, data checksums; a schema version), the tables (epochs.csv, steps.csv), the policy history
// (policy.json, policy.csv), the genotype (genotype.json, genotype.txt in DARTS' form), checkpoint/ and,
// for the whole pipeline, search/ and evaluate/ runs inside. Every file is written atomically; a run's
// result files (no checkpoint) can be handed to another machine and put in place whole. Runs made
// before the manifest named its task still open: the task is read from the config.
import * as tf from '@tensorflow/tfjs';
import { from, fromCSV, type ColumnTable } from 'arquero';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../version.ts';
import type { BackendInfo } from '../backend/select.ts';
import type { DataFile } from '../data/cifar10.ts';
import { makeDir, removeStaleTemporaries, replaceDirAtomic, writeFileAtomic } from '../io/atomic.ts';
import { readJson } from '../io/json.ts';
import { describeFsError } from '../io/fs-errors.ts';
import { LOCK_FILE, lockFolder } from '../io/lock.ts';

/** The two tasks: convolutional cells (CIFAR-10, ImageNet) and the recurrent cell (Penn Treebank). */
export type TaskName = 'cnn' | 'rnn';

/** 2: the manifest names its task. 1 (no `schema` field): the task is read from the config. */
export const MANIFEST_SCHEMA = 2;

export interface ManifestData {
  dir: string;
  source: string;
  files: DataFile[];
}

export interface Manifest {
  schema: number;
  task: TaskName;
  kind: 'search' | 'evaluate' | 'pipeline';
  status: 'running' | 'cancelled' | 'failed' | 'finished';
  command: string;
  preset?: string;
  config: unknown;
  seed: number;
  backend: { name: string; package: string; version: string; threads: number };
  versions: { ednas: string; tfjs: string; node: string };
  data: ManifestData;
  /** Worker threads of data-parallel steps (1: all in one thread). */
  workers?: number;
  /** Each time the run was resumed: when, at which epoch, and what changed (epochs extended, workers). */
  resumes?: { at: string; epoch: number; changes: Record<string, { from: unknown; to: unknown }> }[];
  started: string;
  finished?: string;
  wall_s?: number;
  result?: Record<string, unknown>;
}

/** A file of a run as it travels to another machine: its path inside the run directory and its bytes. */
export interface RunFile {
  name: string;
  base64: string;
}

/** The files that make a run's results, without its checkpoint. */
export const RESULT_FILES = [
  'manifest.json',
  'epochs.csv',
  'steps.csv',
  'policy.json',
  'policy.csv',
  'genotype.json',
  'genotype.txt',
] as const;

export class RunDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunDirError';
  }
}

export function describeEnvironment(backend: BackendInfo): Pick<Manifest, 'backend' | 'versions'> {
  return {
    backend: { name: backend.name, package: backend.package, version: backend.version, threads: backend.threads },
    versions: { ednas: VERSION, tfjs: tf.version.tfjs, node: process.versions.node },
  };
}

/** A schema-1 manifest's task: PTB runs are the ones whose config has a hidden size. */
const taskFromConfig = (config: unknown): TaskName =>
  typeof (config as { hidden?: unknown } | null)?.hidden === 'number' ? 'rnn' : 'cnn';

export class RunDir {
  constructor(readonly dir: string) {}

  path(name: string): string {
    return join(this.dir, name);
  }

  /** The run of a pipeline stage inside this one ("search", "evaluate"). */
  part(name: 'search' | 'evaluate'): RunDir {
    return new RunDir(this.path(name));
  }

  get checkpoint(): string {
    return this.path('checkpoint');
  }

  has(name: string): boolean {
    return existsSync(this.path(name));
  }

  /** A new run may not write into a folder that already holds files (they would be mixed); what crashed processes left
   * half-written does not count.
   */
  assertFresh(): void {
    let entries: string[] = [];
    try {
      removeStaleTemporaries(this.dir);
      entries = existsSync(this.dir) ? readdirSync(this.dir).filter((n) => n !== LOCK_FILE) : [];
    } catch (e) {
      throw describeFsError(e, `cannot use ${this.dir} as the run directory`);
    }
    if (entries.length > 0) {
      throw new RunDirError(
        `${this.dir} already holds files; pass --resume to continue that run, or choose another --out.`,
      );
    }
  }

  /** Holds this directory for this process until the release; a second process is refused naming it (io/lock.ts). */
  lock(): () => void {
    return lockFolder(this.dir, `the run directory ${this.dir}`);
  }

  writeManifest(m: Manifest): void {
    writeFileAtomic(this.path('manifest.json'), `${JSON.stringify(m, null, 2)}\n`);
  }

  manifest(): Manifest {
    if (!this.has('manifest.json')) throw new RunDirError(`${this.dir} is not a run directory (no manifest.json).`);
    const m = readJson<Partial<Manifest>>(this.path('manifest.json'), "the run's manifest");
    for (const field of ['kind', 'status', 'config', 'data', 'backend', 'versions'] as const) {
      if (m[field] === undefined)
        throw new RunDirError(
          `${this.path('manifest.json')} has no "${field}" field: it is not an EDNAS manifest, or it is damaged.`,
        );
    }
    return {
      ...m,
      schema: m.schema ?? 1,
      task: m.task ?? taskFromConfig(m.kind === 'pipeline' ? (m.config as { search?: unknown }).search : m.config),
    } as Manifest;
  }

  /** A table as CSV (arquero). */
  writeTable(name: 'epochs' | 'steps', rows: object[]): void {
    if (rows.length) writeFileAtomic(this.path(`${name}.csv`), from(rows).toCSV());
  }

  /** A table's rows, or undefined when the run has not written it yet. */
  table<T>(name: 'epochs' | 'steps'): T[] | undefined {
    return this.has(`${name}.csv`)
      ? (fromCSV(readFileSync(this.path(`${name}.csv`), 'utf8')).objects() as T[])
      : undefined;
  }

  /** Every probability vector after each epoch: policy.json, and the long table policy.csv. */
  writePolicy<P>(history: { epoch: number; probabilities: P }[], table: ColumnTable): void {
    writeFileAtomic(this.path('policy.json'), JSON.stringify(history));
    writeFileAtomic(this.path('policy.csv'), table.toCSV());
  }

  policyHistory<P>(): { epoch: number; probabilities: P }[] {
    return readJson(this.path('policy.json'), "the run's policy history");
  }

  /** genotype.json and genotype.txt (DARTS' Python form). */
  writeGenotype(json: string, darts: string): void {
    writeFileAtomic(this.path('genotype.json'), json);
    writeFileAtomic(this.path('genotype.txt'), `${darts}\n`);
  }

  /** The genotype, parsed by `parse` (the task's reader); undefined when the run has not derived one. */
  genotype<G>(parse: (path: string) => G): G | undefined {
    return this.has('genotype.json') ? parse(this.path('genotype.json')) : undefined;
  }

  /** The run's results (RESULT_FILES, and model/ when it takes at most `modelBytes`): what another machine needs to
   * have the run, checkpoints aside.
   */
  resultFiles(modelBytes = 16 * 2 ** 20): RunFile[] {
    const read = (name: string): RunFile => ({ name, base64: readFileSync(this.path(name)).toString('base64') });
    const files = RESULT_FILES.filter((n) => this.has(n)).map(read);
    const model = this.has('model')
      ? readdirSync(this.path('model'))
          .map((n) => `model/${n}`)
          .filter((n) => statSync(this.path(n)).isFile())
      : [];
    if (model.reduce((sum, n) => sum + statSync(this.path(n)).size, 0) <= modelBytes) files.push(...model.map(read));
    return files;
  }

  /** Puts `files` in place as this run directory, all of them or (after a crash) none. */
  writeResultFiles(files: RunFile[]): void {
    for (const f of files) {
      if (f.name.split('/').some((p) => p === '..' || p === '') || f.name.startsWith('/'))
        throw new RunDirError(`a result file may not be named ${JSON.stringify(f.name)}`);
    }
    replaceDirAtomic(this.dir, (tmp) => {
      for (const f of files) {
        makeDir(join(tmp, f.name, '..'));
        writeFileSync(join(tmp, f.name), Buffer.from(f.base64, 'base64'));
      }
    });
  }
}
