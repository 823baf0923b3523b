// A long run in a run directory, the same for every task and kind: a fresh directory, or (resume) the
// checkpoint's config with the epochs of the command (which may extend the run) and the data folder the
// run started with; the manifest kept current; a checkpoint and the tables after every epoch; the result
// in the finished manifest. On failure or cancellation the manifest says so and the trainer is disposed.
import { mkdirSync } from 'node:fs';
import { initBackend } from '../backend/select.ts';
import { loadCheckpoint, readCheckpointConfig, saveCheckpoint, type Checkpointable } from './checkpoint.ts';
import { describeEnvironment, MANIFEST_SCHEMA, RunDir, type Manifest, type ManifestData, type TaskName } from './run-dir.ts';
import type { EpochTrainer, TrainingEvent } from './trainer.ts';

/** What every long run takes: where it writes, where the data is, how to stop it and what to report. */
export interface RunOptions<E = TrainingEvent, Rec = unknown> {
  out: string;
  data?: string;
  preset?: string;
  command?: string;
  /** Continue the run in `out` from its checkpoint (its config wins; `epochs` may extend it). */
  resume?: boolean;
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
  /** Loads the data (from `dataDir`, else the default place) and builds the trainer. */
  start(config: C, dataDir: string | undefined): { trainer: T; data: ManifestData };
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

export async function runInDir<T extends EpochTrainer<Rec, E> & Checkpointable<unknown>, C extends { epochs: number; seed: number }, E, Rec extends { wall_s: number }>(
  o: RunOptions<E, Rec>, spec: RunSpec<T, C>,
): Promise<RunResult<T>> {
  const run = new RunDir(o.out);
  let config = spec.config;
  let previous: Manifest | undefined;
  if (o.resume) {
    config = { ...readCheckpointConfig<C>(run.checkpoint, spec.format), epochs: spec.config.epochs };
    previous = run.manifest();
  } else {
    run.assertFresh();
  }
  const backend = await initBackend();
  // The data folder: the one given, else (resume) the one the run was started with if it was given.
  const dataDir = o.data ?? (previous?.data.source === 'given' ? previous.data.dir : undefined);
  const { trainer, data } = spec.start(config, dataDir);
  if (o.resume) loadCheckpoint(run.checkpoint, trainer);
  const origin = previous ?? { kind: spec.kind, command: o.command ?? `ednas ${spec.kind}`, preset: o.preset, seed: config.seed, data, started: new Date().toISOString() };
  const manifest: Manifest = {
    schema: MANIFEST_SCHEMA, task: spec.task, kind: origin.kind, command: origin.command, preset: origin.preset, seed: origin.seed, data: origin.data,
    started: origin.started, config, status: 'running', ...describeEnvironment(backend),
  };
  mkdirSync(o.out, { recursive: true });
  run.writeManifest(manifest);
  try {
    spec.begin?.(run, trainer);
    while (trainer.epoch < config.epochs) {
      const record = await trainer.runEpoch({ signal: o.signal, onEvent: o.onEvent });
      saveCheckpoint(run.checkpoint, trainer);
      spec.tables(run, trainer);
      o.onEpoch?.(record);
    }
    const result = await spec.finish(run, trainer);
    const finished: Manifest = { ...manifest, status: 'finished', finished: new Date().toISOString(), wall_s: trainer.epochs.reduce((s, e) => s + e.wall_s, 0), result };
    run.writeManifest(finished);
    return { dir: o.out, trainer, manifest: finished };
  } catch (e) {
    run.writeManifest({ ...manifest, status: (e as Error).name === 'AbortError' ? 'cancelled' : 'failed' });
    trainer.dispose();
    throw e;
  }
}
