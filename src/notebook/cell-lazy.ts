// A lazy cell's life: once it has run, a new computation (its inputs changed) is held back, the cell
// stale, until run() takes it or a newer computation drops it.

/** A held computation: run it now, or drop it (rejecting with SUPERSEDED). */
export interface HeldRun {
  run(): void;
  drop(): void;
}

/** Why a held run of a lazy cell was dropped: the cell is being computed again. */
export const SUPERSEDED = new Error('superseded');

/** The computation `compute` of cell `name`, held in `held` until run or dropped. */
export function holdRun(name: string, held: Map<string, HeldRun>, compute: () => unknown): Promise<unknown> {
  return new Promise((resolveRun, rejectRun) => {
    held.set(name, {
      run: () => {
        held.delete(name);
        try {
          resolveRun(compute());
        } catch (e) {
          rejectRun(e);
        }
      },
      drop: () => {
        held.delete(name);
        rejectRun(SUPERSEDED);
      },
    });
  });
}
