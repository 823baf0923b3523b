// When `ednas search` or `ednas evaluate` runs as a trial of an experiment (a child process with an IPC
// channel), its progress goes to the parent, and it ends when the parent dies: a trial must not outlive
// its worker, or a copy resumed elsewhere would share its run directory with an orphan.
import type { TrainingEvent } from '../train/trainer.ts';
import { trialProgress } from '../experiment/progress.ts';

const EVERY_MS = 250;

/** Sends a run's events to the parent process, at most every 250 ms and at each epoch's end; a no-op without a parent
 * channel.
 */
export function parentChannel(epochs: number): (e: TrainingEvent) => void {
  if (!process.send) return () => {};
  process.once('disconnect', () => process.exit(137));
  let last = 0;
  return (e) => {
    const now = Date.now();
    if (e.stage !== 'epoch' && now - last < EVERY_MS) return;
    last = now;
    // The callback keeps a closed channel from throwing: the disconnect handler ends the process.
    process.send?.(trialProgress(e, epochs), undefined, undefined, () => {});
  };
}
