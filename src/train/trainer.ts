// The training contract every long run follows, whatever the task: one event stream (the CLI draws a bar
// from it, the kernel an updating display, the reactive page a live cell, the run directory a log), one
// epoch-trainer interface, and the interrupt signal a front end (the Jupyter kernel) sets for the cell
// that is running.

/** What a step or an epoch reports. */
export type Stage = 'weights' | 'policy' | 'train' | 'valid' | 'test' | 'epoch';

export interface TrainingEvent<P = unknown> {
  stage: Stage;
  epoch: number;
  step: number;
  total: number;
  metrics: Record<string, number | string | boolean>;
  /** On a search's 'epoch' events: every probability vector of the policy after the epoch. */
  policy?: P;
}

export interface EpochOptions<E = TrainingEvent> {
  signal?: AbortSignal;
  onEvent?: (e: E) => void;
  /** Holds the work before its next step while paused (searches honour it). */
  pause?: PauseGate;
}

/**
 * Pausing long work at its next step, as an AbortSignal stops it there: while `paused`, `wait()` holds the
 * work before its next step until `resume()` (or until its abort signal fires, which stops it).
 */
export class PauseGate {
  private held: { promise: Promise<void>; release(): void } | undefined;
  /** Called with true when the work is held, false when it goes on. */
  onHeld?: (held: boolean) => void;

  get paused(): boolean {
    return this.held !== undefined;
  }

  pause(): void {
    if (this.held) return;
    let release = () => {};
    const promise = new Promise<void>((r) => {
      release = r;
    });
    this.held = { promise, release };
  }

  resume(): void {
    const held = this.held;
    this.held = undefined;
    held?.release();
  }

  /** Resolves at once unless paused; else on resume, or rejects when `signal` aborts. */
  async wait(signal?: AbortSignal): Promise<void> {
    const held = this.held;
    if (!held) return;
    this.onHeld?.(true);
    try {
      await new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const abort = () => reject(signal!.reason);
        signal?.addEventListener('abort', abort, { once: true });
        held.promise.then(() => {
          signal?.removeEventListener('abort', abort);
          resolve();
        });
      });
    } finally {
      this.onHeld?.(false);
    }
  }
}

/** Anything trained epoch by epoch: a search or a training from scratch, of either cell kind. */
export interface EpochTrainer<Rec, E = TrainingEvent> {
  /** Completed epochs. */
  epoch: number;
  readonly epochs: Rec[];
  readonly config: { epochs: number };
  runEpoch(o?: EpochOptions<E>): Promise<Rec>;
  dispose(): void;
}

/** Lets timers, I/O and interrupts in between two steps (setImmediate under Node, a message in a page). */
export { yieldToEventLoop } from '#host';

const KEY = Symbol.for('ednas.interrupt');
type Holder = Record<symbol, AbortSignal | undefined>;

/** The signal long work stops on when its caller passed none: a front end's interrupt, if one is set. */
export const interruptSignal = (): AbortSignal | undefined => (globalThis as Holder)[KEY];

/** Set by a front end (the kernel) while a cell runs; undefined when none does. */
export function setInterruptSignal(signal: AbortSignal | undefined): void {
  (globalThis as Holder)[KEY] = signal;
}
