// The task registry: the one list of tasks that the CLI and experiments read. A new task is one entry here
// (and its module beside this one).
import type { TaskName } from '../rundir/run-dir.ts';
import { CNN_TASK } from './cnn.ts';
import { RNN_TASK } from './rnn.ts';
import type { Task, TrialKind } from './task.ts';

export type { Metric, Presets, Task, TrialKind } from './task.ts';

export const TASKS: Readonly<Record<TaskName, Task>> = { cnn: CNN_TASK, rnn: RNN_TASK };

/** The task a preset belongs to, or undefined. */
export const taskOfPreset = (kind: TrialKind, preset: string): Task | undefined =>
  Object.values(TASKS).find((t) => Object.hasOwn(t.presets[kind], preset));

/** Every preset of a kind, for messages and help. */
export const presetNames = (kind: TrialKind): string[] =>
  Object.values(TASKS).flatMap((t) => Object.keys(t.presets[kind]));
