// A live cell's life: a run that reads `invalidation` also stops on an interrupt, and a generator cell is
// followed while it produces values (how many, when it ends, its last value stored when cached).
import type { CellStatus } from './reactive.ts';

/** Races the run's `invalidation` input (at `at`) with an interrupt; returns how to stop listening. */
export function interruptible(inputs: unknown[], at: number, interrupts: Set<() => void>): () => void {
  let stop = () => {};
  const interrupted = new Promise<void>((r) => {
    stop = r;
  });
  interrupts.add(stop);
  const release = () => {
    interrupts.delete(stop);
  };
  const invalidation = inputs[at] as Promise<void>;
  invalidation.then(release, release);
  inputs[at] = Promise.race([invalidation, interrupted]);
  return release;
}

export interface Follow {
  /** Whether this run is still the cell's latest (and the session open). */
  current(): boolean;
  store(value: unknown): void;
  release(): void;
  changed(): void;
}

/** The generator the runtime iterates, counting its values in `s` and marking it live until it ends. */
export function followGenerator(gen: AsyncGenerator | Generator, s: CellStatus, f: Follow) {
  s.live = true;
  let last: unknown;
  const finish = () => {
    f.release();
    if (!f.current()) return;
    s.live = false;
    f.changed();
  };
  return {
    next: (v?: unknown) =>
      Promise.resolve(gen.next(v)).then(
        (r) => {
          if (r.done) {
            f.store(last);
            finish();
          } else {
            last = r.value;
            if (f.current()) s.yields++;
          }
          return r;
        },
        (e) => {
          // The runtime's rejection (the observer) marks the cell not live, with its error, in one change: a
          // change here first would show it done and idle, without the error, for a moment.
          f.release();
          throw e;
        },
      ),
    // The runtime's invalidation (new inputs, disposal): the run is over, and the host hears it at once.
    return: (v?: unknown) => {
      if (f.current() && s.live) {
        s.live = false;
        f.changed();
      }
      return gen.return(v as never);
    },
    throw: (e?: unknown) => gen.throw(e),
  };
}
