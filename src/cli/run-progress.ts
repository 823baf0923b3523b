// What `ednas search` and `ednas evaluate` show as a run goes: the bar over each stage's steps with the
// task's detail, a line at each epoch's end, and every event sent to the experiment that started the run.
import type { TrainingEvent } from '../train/trainer.ts';
import { parentChannel } from './parent-channel.ts';
import type { ProgressBar } from './progress.ts';

/**
 * A run's progress callbacks. The bar counts to the run's own epochs once it tells them (a resumed run's);
 * `detail` undefined draws no bar for that event; `stageWidth` pads the stage names of the run's kind.
 */
export function runProgress(
  bar: ProgressBar,
  epochs: number,
  stageWidth: number,
  detail: (e: TrainingEvent) => string | undefined,
  epochLine: (r: object) => string,
) {
  const toParent = parentChannel(epochs);
  return {
    onConfig: (c: { epochs: number }) => {
      epochs = c.epochs;
    },
    onEvent: (e: TrainingEvent) => {
      toParent(e);
      const text = e.stage === 'epoch' ? undefined : detail(e);
      if (text === undefined) return;
      bar.update(`epoch ${e.epoch}/${epochs} ${e.stage.padEnd(stageWidth)}`, e.step, e.total, text);
    },
    onEpoch: (r: object) => {
      bar.finish();
      console.log(epochLine(r));
    },
  };
}
