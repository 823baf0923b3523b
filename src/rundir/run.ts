// A long run in a run directory, the same for every task and kind: a fresh directory, or (resume) the
// settings the run was made with, kept whole: a setting given again must be the run's own, except a
// larger `epochs` (an extension) and the worker threads, which the manifest records as changes; the data
// folder the run started with; the manifest kept current; a checkpoint and the tables after every epoch;
// the result in the finished manifest. On failure or cancellation the manifest says so and the trainer
// is disposed.
import { initBackend } from '../backend/select.ts';
import { readable } from '../backend/webgpu.ts';
import {
  hasCheckpoint,
  loadCheckpoint,
  readCheckpointConfig,
  recoverCheckpoint,
  saveCheckpoint,
  type Checkpointable,
} from './checkpoint.ts';
import { makeDir, removeStaleTemporaries } from '../io/atomic.ts';
import { describeFsError } from '../io/fs-errors.ts';
import {
  describeEnvironment,
  MANIFEST_SCHEMA,
  RunDir,
  RunDirError,
  type Manifest,
  type ManifestData,
  type TaskName,
} from './run-dir.ts';
import type { EpochTrainer, TrainingEvent } from '../train/trainer.ts';
import { applySets, checkConfig, SettingError, type Schema } from '../train/settings.ts';

/** What every long run takes: where it writes, where the data is, how to stop it and what to report. */
export interface RunOptions<E = TrainingEvent, Rec = unknown> {
  out: string;
  data?: string;
  preset?: string;
  command?: string;
  /**
   * Continue the run in `out` from its checkpoint with its own settings: those of `config` (a library caller)
   * or `given` (the command line) must equal the run's, but for more epochs (an extension).
   */
  resume?: boolean;
  /**
   * The settings named on the command line (KEY=VALUE, as `--set` takes them). On resume each must be the
   * run's own, except `epochs` above the run's (an extension); anything else is refused.
   */
  given?: readonly string[];
  /** Worker threads, decided by the command (default: a resumed run's own, else the backend's by batch). */
  workers?: number;
  signal?: AbortSignal;
  onEvent?: (e: E) => void;
  onEpoch?: (r: Rec) => void;
  /** The settings the run goes with, once known (on resume: the run's own, not the preset's). */
  onConfig?: (config: { epochs: number }) => void;
}

/** What a task says about one of its runs. */
export interface RunSpec<T, C> {
  task: TaskName;
  kind: 'search' | 'evaluate';
  /** The checkpoint format of the trainer (read before the trainer exists, on resume). */
  format: string;
  config: C;
  /** The config's types and ranges: the config given, or the one a resumed run was made with, is checked. */
  schema: Schema;
  /** Loads the data (from `dataDir`, else the default place) and builds the trainer with `workers` threads (undefined:
   * its default).
   */
  start(config: C, dataDir: string | undefined, workers: number | undefined): { trainer: T; data: ManifestData };
  /** Files written once the run has begun (the genotype an evaluation trains). */
  begin?(run: RunDir, trainer: T): void;
  /** The tables, written with the checkpoint after every epoch. */
  tables(run: RunDir, trainer: T): void;
  /** The end: derive, save the model; returns the result recorded in the manifest. */
  finish(run: RunDir, trainer: T): Promise<Record<string, unknown>>;
}

export interface RunResult<T> {
  dir: string;
  trainer: T;
  manifest: Manifest;
}

export async function runInDir<
  T extends EpochTrainer<Rec, E> & Checkpointable<unknown> & { workers?: number },
  C extends { epochs: number; seed: number },
  E,
  Rec extends { wall_s: number },
>(o: RunOptions<E, Rec>, spec: RunSpec<T, C>): Promise<RunResult<T>> {
  // One process a run directory: a second one (fresh or --resume) is refused, naming the first.
  const release = new RunDir(o.out).lock();
  try {
    return await runLocked(o, spec);
  } finally {
    release();
  }
}

async function runLocked<
  T extends EpochTrainer<Rec, E> & Checkpointable<unknown> & { workers?: number },
  C extends { epochs: number; seed: number },
  E,
  Rec extends { wall_s: number },
>(o: RunOptions<E, Rec>, spec: RunSpec<T, C>): Promise<RunResult<T>> {
  const run = new RunDir(o.out);
  let config = checkConfig<C>(spec.schema, spec.config, `the settings of ${o.out}`);
  let previous: Manifest | undefined;
  let restore = false;
  let changes: Changes = {};
  if (o.resume) {
    // The newest whole checkpoint, whatever moment a crash came; then what dead processes left behind.
    recoverCheckpoint(run.checkpoint);
    removeStaleTemporaries(o.out);
    // Stopped before its first checkpoint, it starts again from the beginning, with its own settings. The
    // checkpoint is read first: without a manifest either, "no checkpoint" is the clearer message.
    restore = hasCheckpoint(run.checkpoint) || !run.has('manifest.json');
    const checkpointed = restore ? readCheckpointConfig<C>(run.checkpoint, spec.format) : undefined;
    previous = run.manifest();
    if (o.preset !== undefined && previous.preset !== undefined && o.preset !== previous.preset) {
      throw new SettingError(
        `${o.out} is a run of preset ${previous.preset}, not ${o.preset}: ` +
          'a resumed run keeps its preset; leave out --preset, or start a new run with another --out',
      );
    }
    // The manifest's epochs win over the checkpoint's: an extension is recorded there before its first epoch.
    const own = checkpointed ?? (previous.config as C);
    const epochs = (previous.config as Partial<C> | null)?.epochs ?? own.epochs;
    const where = `the ${restore ? 'checkpoint' : 'manifest'} of ${o.out}`;
    const stored = checkConfig<C>(spec.schema, { ...own, epochs }, where);
    // The command line names what it sets (`given`); a library caller passes its whole config.
    const asked = o.given !== undefined ? applySets(stored, o.given, spec.schema) : config;
    config = checkConfig<C>(spec.schema, asked, `the settings given to resume ${o.out}`);
    changes = settingChanges(o.out, stored, config);
  } else {
    run.assertFresh();
  }
  o.onConfig?.(config);
  const backend = await initBackend();
  // The data folder: the one given, else (resume) the one the run was started with if it was given.
  const dataDir = o.data ?? (previous?.data.source === 'given' ? previous.data.dir : undefined);
  // A resumed run keeps its worker threads: the same W continues it exactly.
  const { trainer, data } = spec.start(config, dataDir, o.workers ?? previous?.workers);
  if (previous && !sameData(previous.data, data)) {
    trainer.dispose();
    throw new RunDirError(
      `${o.out} was made with other data than ${data.dir} holds (their checksums differ): ` +
        `resume it with its own data, --data ${previous.data.dir}, or start a new run with another --out`,
    );
  }
  if (restore) {
    loadCheckpoint(run.checkpoint, trainer);
    // A crash between the checkpoint and the tables leaves the tables an epoch behind.
    spec.tables(run, trainer);
  }
  const origin = previous ?? {
    kind: spec.kind,
    command: o.command ?? `ednas ${spec.kind}`,
    preset: o.preset,
    seed: config.seed,
    data,
    started: new Date().toISOString(),
  };
  const workers = trainer.workers ?? 1;
  if (previous?.workers !== undefined && previous.workers !== workers) {
    changes.workers = { from: previous.workers, to: workers };
  }
  const resume = { at: new Date().toISOString(), epoch: trainer.epoch, changes };
  const resumes = previous ? [...(previous.resumes ?? []), resume] : undefined;
  const manifest: Manifest = {
    schema: MANIFEST_SCHEMA,
    task: spec.task,
    kind: origin.kind,
    command: origin.command,
    preset: origin.preset,
    seed: origin.seed,
    data: origin.data,
    started: origin.started,
    config,
    status: 'running',
    ...describeEnvironment(backend),
    workers,
    ...(resumes ? { resumes } : {}),
  };
  try {
    makeDir(o.out);
  } catch (e) {
    throw describeFsError(e, `cannot make the run directory ${o.out}`);
  }
  run.writeManifest(manifest);
  try {
    spec.begin?.(run, trainer);
    while (trainer.epoch < config.epochs) {
      const record = await trainer.runEpoch({ signal: o.signal, onEvent: o.onEvent });
      const { weights, slots } = trainer.checkpointTensors();
      await readable([...weights.values(), ...slots.values()]);
      saveCheckpoint(run.checkpoint, trainer);
      spec.tables(run, trainer);
      o.onEpoch?.(record);
    }
    const result = await spec.finish(run, trainer);
    const finished: Manifest = {
      ...manifest,
      status: 'finished',
      finished: new Date().toISOString(),
      wall_s: trainer.epochs.reduce((s, e) => s + e.wall_s, 0),
      result,
    };
    run.writeManifest(finished);
    return { dir: o.out, trainer, manifest: finished };
  } catch (e) {
    try {
      run.writeManifest({ ...manifest, status: (e as Error).name === 'AbortError' ? 'cancelled' : 'failed' });
    } finally {
      trainer.dispose();
    }
    throw e;
  }
}

/** What a resume changed: `epochs` extended, the worker threads; each from the run's value to the new one. */
type Changes = Record<string, { from: unknown; to: unknown }>;

/** The allowed changes from the run's settings to those asked on resume; any other difference is refused. */
function settingChanges<C extends { epochs: number }>(dir: string, stored: C, asked: C): Changes {
  const changes: Changes = {};
  const own = stored as Record<string, unknown>;
  const next = asked as Record<string, unknown>;
  for (const key of new Set([...Object.keys(own), ...Object.keys(next)])) {
    if (JSON.stringify(own[key]) === JSON.stringify(next[key])) continue;
    if (key === 'epochs' && asked.epochs > stored.epochs) {
      changes.epochs = { from: stored.epochs, to: asked.epochs };
      continue;
    }
    const was = `${key}=${JSON.stringify(own[key]) ?? 'unset'}`;
    throw new SettingError(
      key === 'epochs'
        ? `${dir} was made for ${stored.epochs} epochs: a resumed run may extend them, not cut them ` +
            `to ${asked.epochs}; leave out --epochs to finish the run`
        : `${dir} was made with ${was}, not ${key}=${JSON.stringify(next[key]) ?? 'unset'}: ` +
            'a resumed run keeps every setting of its manifest; ' +
            'leave the setting out, or start a new run with another --out',
    );
  }
  return changes;
}

/** Whether a resumed run reads the bytes it began with (its files' checksums; folders of images record none). */
function sameData(was: ManifestData, now: ManifestData): boolean {
  const sums = (d: ManifestData) =>
    (d.files ?? [])
      .map((f) => f.sha256)
      .sort()
      .join();
  return sums(was) === '' || sums(now) === '' || sums(was) === sums(now);
}
