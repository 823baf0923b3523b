// What a trial's process tells the process that started it, over Node's IPC channel: where the run is
// (epoch, stage, step) and the share of the whole run done, for status tables and queue jobs.
import type { TrainingEvent } from '../train/trainer.ts';

export interface TrialProgress {
  type: 'ednas-progress';
  epoch: number;
  epochs: number;
  stage: string;
  step: number;
  total: number;
  /** 0..1 of the whole run. */
  fraction: number;
}

/** Within an epoch: a search's weight and policy phases count half each; training counts 9/10, testing 1/10. */
const SHARE: Record<string, [number, number]> = {
  weights: [0, 0.5],
  policy: [0.5, 0.5],
  train: [0, 0.9],
  valid: [0.9, 0.1],
  test: [0.9, 0.1],
};

export function trialProgress(e: TrainingEvent, epochs: number): TrialProgress {
  const [start, width] = e.stage === 'epoch' ? [1, 0] : (SHARE[e.stage] ?? [0, 1]);
  const within = start + width * (e.total > 0 ? Math.min(1, e.step / e.total) : 0);
  const fraction = Math.max(0, Math.min(1, (e.epoch - 1 + within) / Math.max(1, epochs)));
  return { type: 'ednas-progress', epoch: e.epoch, epochs, stage: e.stage, step: e.step, total: e.total, fraction };
}

export const isTrialProgress = (m: unknown): m is TrialProgress =>
  (m as TrialProgress | null)?.type === 'ednas-progress';
