// Training as a notebook cell: an async generator that runs a search or a training in the background and
// yields plain snapshots (records so far, the latest progress) every `intervalMs` and at each epoch end,
// so dependent cells (plots) update live. The cell's `invalidation` input stops it at the next step and
// frees its tensors; the last snapshot has `done: true` (and the derived genotype for a search).
import type { EpochTrainer, TrainingEvent } from '../train/trainer.ts';

type ProgressEvent = TrainingEvent;

export interface Snapshot<Rec> {
  done: boolean;
  /** Completed epochs and their records. */
  epoch: number;
  epochs: Rec[];
  progress?: ProgressEvent;
}

/** An AbortSignal that fires when the promise (a cell's `invalidation`) settles. */
export function signalFrom(invalidation?: Promise<unknown>): AbortSignal | undefined {
  if (!invalidation) return undefined;
  const controller = new AbortController();
  invalidation.then(
    () => controller.abort(),
    () => controller.abort(),
  );
  return controller.signal;
}

/**
 * The snapshot once the training is done; until then a promise that stays pending, so the cell and its
 * dependents wait, and that settles when the cell is invalidated (the runtime runs a cell's next
 * computation only after its previous one settles).
 */
export function whenDone<S extends { done: boolean }>(snapshot: S, invalidation: Promise<unknown>): Promise<S> {
  if (snapshot.done) return Promise.resolve(snapshot);
  return new Promise<S>((_, reject) => {
    invalidation.then(() => reject(new Error('superseded by a newer snapshot')));
  });
}

/**
 * Runs `trainer` to its configured epochs, yielding snapshots; `extra` adds fields to every snapshot (the
 * steps and policy of a search) and `finish` to the last one (the derived genotype).
 */
export async function* liveTraining<Rec, E extends ProgressEvent, X extends object, F extends object>(
  trainer: EpochTrainer<Rec, E>,
  o: {
    invalidation?: Promise<unknown>;
    intervalMs?: number;
    extra?: () => X;
    finish?: (signal?: AbortSignal) => Promise<F>;
  } = {},
): AsyncGenerator<Snapshot<Rec> & X & Partial<F>> {
  const signal = signalFrom(o.invalidation);
  let progress: ProgressEvent | undefined;
  let wake = () => {};
  const training = (async () => {
    while (trainer.epoch < trainer.config.epochs) {
      await trainer.runEpoch({
        signal,
        onEvent: (e: E) => {
          progress = e;
          if (e.stage === 'epoch') wake();
        },
      });
    }
  })();
  let finished = false;
  training.then(
    () => {
      finished = true;
      wake();
    },
    () => {
      finished = true;
      wake();
    },
  );
  const snapshot = (done: boolean) => ({
    done,
    epoch: trainer.epoch,
    epochs: [...trainer.epochs],
    progress,
    ...(o.extra?.() ?? ({} as X)),
  });
  try {
    while (!finished) {
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, o.intervalMs ?? 1000);
      });
      if (!finished) yield snapshot(false);
    }
    await training;
    const last = await o.finish?.(signal);
    yield { ...snapshot(true), ...(last ?? ({} as F)) };
  } finally {
    await training.catch(() => {});
    trainer.dispose();
  }
}
