// A training object's worker pool: none with one worker, otherwise started by the first step that needs
// it (an object that never trains starts no thread). Restored weights are published to it; close ends it.
import { workerThreads } from '../../backend/device.ts';
import { WorkerPool } from './pool.ts';

type StartOptions = Omit<Parameters<typeof WorkerPool.start>[0], 'size'>;

export class LazyPool {
  /** Worker threads (1: every step in this thread). Only the wasm backend spreads over threads. */
  readonly size: number;
  private pool?: Promise<WorkerPool>;

  /** `decided`: the count the command passed down (undefined: the backend's default for `rows`). */
  constructor(
    decided: number | undefined,
    rows: number,
    private readonly options: () => StartOptions,
  ) {
    this.size = workerThreads(decided, rows);
  }

  /** The pool, started on first use; undefined with one worker. */
  get(): Promise<WorkerPool> | undefined {
    if (this.size <= 1) return undefined;
    this.pool ??= WorkerPool.start({ size: this.size, ...this.options() });
    return this.pool;
  }

  /** Copy these master tensors to the workers, if they have started. */
  publish(names: Iterable<string>): void {
    void this.pool?.then((p) => p.publish(names));
  }

  close(): void {
    void this.pool?.then(
      (p) => p.close(),
      () => {},
    );
  }
}
