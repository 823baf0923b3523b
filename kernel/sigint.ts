// Interrupts that reach a busy cell. Jupyter interrupts with SIGINT, but a JavaScript signal handler only runs
// when the main thread's event loop turns, and a cell spinning after an `await` never lets it turn (vm's
// breakOnSigint covers only code run synchronously inside it). So a worker thread waits for SIGINT instead,
// inside its own breakOnSigint call (node's native SIGINT watchdog, which stops the worker's wait): on each
// signal it bumps a counter in shared memory, which every loop of a cell reads at each iteration (compile.ts
// adds the check), and tells the main thread, which aborts the cell's signal when it gets to it.
import { Worker } from 'node:worker_threads';

/** The worker: waits on the shared counter's second slot forever, with SIGINT watched; stops when it is set. */
const WATCHER = `
const { parentPort, workerData } = require('node:worker_threads');
const vm = require('node:vm');
globalThis.flags = new Int32Array(workerData);
const wait = new vm.Script('Atomics.wait(flags, 1, 0)', { filename: 'ednas-sigint' });
parentPort.postMessage('ready');
for (;;) {
  try {
    wait.runInThisContext({ breakOnSigint: true });
    break;
  } catch (e) {
    if (e?.code !== 'ERR_SCRIPT_EXECUTION_INTERRUPTED') throw e;
    parentPort.postMessage(Atomics.add(flags, 0, 1) + 1);
  }
}
`;

/** What a loop of an interrupted cell throws: recognised as vm's own SIGINT error (same code). */
export class KeyboardInterruptError extends Error {
  readonly code = 'ERR_SCRIPT_EXECUTION_INTERRUPTED';
  constructor() {
    super('Script execution was interrupted by SIGINT');
  }
}

export class Interrupts {
  /** [0]: interrupts so far; [1]: set to stop the worker. */
  private readonly flags = new Int32Array(new SharedArrayBuffer(8));
  private worker: Worker | undefined;
  /** The count when the running cell (or callback) started: a loop stops once it has changed. */
  private base = 0;
  private cells = 0;

  /**
   * Starts watching SIGINT; `onSigint` runs on the main thread once its event loop gets to it, unless a cell
   * started since (a busy cell stopped by its loop check must not pass its interrupt on to the next cell).
   */
  async watch(onSigint: () => void): Promise<void> {
    if (this.worker) return;
    const worker = new Worker(WATCHER, { eval: true, workerData: this.flags.buffer, execArgv: [] });
    this.worker = worker;
    worker.unref();
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    worker.on('message', (count: number) => {
      if (count > this.base) onSigint();
    });
  }

  /** An interrupt that did not come as a signal (interrupt_request on the control channel). */
  raise(): void {
    Atomics.add(this.flags, 0, 1);
  }

  /** A cell starts: interrupts before it do not stop it. */
  begin(): void {
    this.cells++;
    this.base = Atomics.load(this.flags, 0);
  }

  end(): void {
    this.cells = Math.max(0, this.cells - 1);
  }

  /** A widget callback starts: outside a cell, interrupts before it do not stop it. */
  beginCallback(): void {
    if (this.cells === 0) this.base = Atomics.load(this.flags, 0);
  }

  /**
   * Called by each iteration of a cell's loops: throws once the cell has been interrupted. A plain read, not
   * Atomics.load (several times slower in a tight loop); V8 reads a shared array's element afresh each time.
   */
  readonly check = (): void => {
    if (this.flags[0] !== this.base) throw new KeyboardInterruptError();
  };

  close(): void {
    Atomics.store(this.flags, 1, 1);
    Atomics.notify(this.flags, 1);
    this.worker = undefined;
  }
}

/** SIGINT is the process's: one watcher for all. */
export const interrupts = new Interrupts();
