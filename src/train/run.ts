// A long run in a run directory, the same for every task and kind: a fresh directory, or (resume) the
// checkpoint's config with the epochs of the command (which may extend the run) and the data folder the
// run started with; the manifest kept current; a checkpoint and the tables after every epoch; the result
// in the finished manifest. On failure or cancellation the manifest says so and the trainer is disposed.
import { initBackend } from '../backend/select.ts';
import { readable } from '../backend/webgpu.ts';
import { hasCheckpoint, loadCheckpoint, readCheckpointConfig, recoverCheckpoint, saveCheckpoint, type Checkpointable } from './checkpoint.ts';
import { makeDir, removeStaleTemporaries } from '../io/atomic.ts';
import { describeFsError } from '../io/fs-errors.ts';
import { describeEnvironment, MANIFEST_SCHEMA, RunDir, type Manifest, type ManifestData, type TaskName } from './run-dir.ts';
import type { EpochTrainer, TrainingEvent } from './trainer.ts';
import { checkConfig, type Schema } from './settings.ts';

/** What every long run takes: where it writes, where the data is, how to stop it and what to report. */
export interface RunOptions<E = TrainingEvent, Rec = unknown> {
  out: string;
  data?: string;
  preset?: string;
  command?: string;
  /** Continue the run in `out` from its checkpoint (its config wins; `epochs` may extend it). */
  resume?: boolean;
  /** Worker threads for data-parallel steps (default EDNAS_WORKERS, else the cores as batches allow). */
  workers?: number;
  signal?: AbortSignal;
  onEvent?: (e: E) => void;
  onEpoch?: (r: Rec) => void;
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
  /** Loads the data (from `dataDir`, else the default place) and builds the trainer with `workers` threads (undefined: its default). */
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

export async function runInDir<T extends EpochTrainer<Rec, E> & Checkpointable<unknown> & { workers?: number }, C extends { epochs: number; seed: number }, E, Rec extends { wall_s: number }>(
  o: RunOptions<E, Rec>, spec: RunSpec<T, C>,
): Promise<RunResult<T>> {
  const run = new RunDir(o.out);
  let config = checkConfig<C>(spec.schema, spec.config, `the settings of ${o.out}`);
  let previous: Manifest | undefined;
  let restore = false;
  if (o.resume) {
    // The newest whole checkpoint, whatever moment a crash came; then what dead processes left behind.
    recoverCheckpoint(run.checkpoint);
    removeStaleTemporaries(o.out);
    if (hasCheckpoint(run.checkpoint) || !run.has('manifest.json')) {
      config = checkConfig<C>(spec.schema, { ...readCheckpointConfig<C>(run.checkpoint, spec.format), epochs: config.epochs }, `the checkpoint of ${o.out}`);
      previous = run.manifest();
      restore = true;
    } else {
      // Stopped before its first checkpoint: it starts again from the beginning, with its own settings.
      previous = run.manifest();
      config = checkConfig<C>(spec.schema, { ...(previous.config as object), epochs: config.epochs }, `the manifest of ${o.out}`);
    }
  } else {
    run.assertFresh();
  }
  const backend = await initBackend();
  // The data folder: the one given, else (resume) the one the run was started with if it was given.
  const dataDir = o.data ?? (previous?.data.source === 'given' ? previous.data.dir : undefined);
  // A resumed run keeps its worker threads: the same W continues it exactly.
  const { trainer, data } = spec.start(config, dataDir, o.workers ?? previous?.workers);
  if (restore) {
    loadCheckpoint(run.checkpoint, trainer);
    // A crash between the checkpoint and the tables leaves the tables an epoch behind.
    spec.tables(run, trainer);
  }
  const origin = previous ?? { kind: spec.kind, command: o.command ?? `ednas ${spec.kind}`, preset: o.preset, seed: config.seed, data, started: new Date().toISOString() };
  const manifest: Manifest = {
    schema: MANIFEST_SCHEMA, task: spec.task, kind: origin.kind, command: origin.command, preset: origin.preset, seed: origin.seed, data: origin.data,
    started: origin.started, config, status: 'running', ...describeEnvironment(backend), workers: trainer.workers ?? 1,
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
    const finished: Manifest = { ...manifest, status: 'finished', finished: new Date().toISOString(), wall_s: trainer.epochs.reduce((s, e) => s + e.wall_s, 0), result };
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
