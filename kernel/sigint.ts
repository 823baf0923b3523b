// Interrupts that reach a busy cell. Jupyter interrupts with SIGINT, but a JavaScript signal handler only runs
// when the main thread's event loop turns, and a cell spinning after an `await` never lets it turn (vm's
// breakOnSigint covers only code run synchronously inside it). So a worker thread waits for SIGINT instead,
// inside its own breakOnSigint call (node's native SIGINT watchdog, which stops the worker's wait): on each
// signal it bumps a counter in shared memory, which every loop of a cell reads at each iteration (compile.ts
// adds the check), and tells the main thread, which aborts the cell's signal when it gets to it.
import { Worker } from 'node:worker_threads';

/** How long (ms) the main thread may take to take an interrupt before the kernel's log says it is stuck. */
export const STUCK_MS = 2000;

const STUCK =
  `[ednas kernel] an interrupt has not reached the running code for ${STUCK_MS / 1000} s: it is busy outside ` +
  "the cell's own loops (in a library call, or code that never returns after an await). Interrupt again once " +
  'it returns, or restart the kernel to stop it.\n';

/**
 * The worker: waits, always with SIGINT watched, on the stop slot [1] (set at shutdown), or after a signal on
 * the main thread's acknowledgement [2]; a signal bumps the count [0] and tells the main thread. An interrupt
 * the main thread does not take within STUCK_MS is written to the kernel's log (stderr), which the blocked
 * main thread cannot do.
 */
const WATCHER = `
const { parentPort, workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const vm = require('node:vm');
globalThis.flags = new Int32Array(workerData);
globalThis.sent = 0;
const idle = new vm.Script('Atomics.wait(flags, 1, 0)', { filename: 'ednas-sigint' });
const taken = new vm.Script(
  'Atomics.load(flags, 2) >= sent || Atomics.wait(flags, 2, Atomics.load(flags, 2), ${STUCK_MS})',
);
parentPort.postMessage(0);
for (;;) {
  try {
    if (!sent) {
      idle.runInThisContext({ breakOnSigint: true });
      break;
    }
    if (taken.runInThisContext({ breakOnSigint: true }) === 'timed-out' && Atomics.load(flags, 2) < sent)
      writeSync(2, ${JSON.stringify(STUCK)});
    sent = 0;
  } catch (e) {
    if (e?.code !== 'ERR_SCRIPT_EXECUTION_INTERRUPTED') throw e;
    sent = Atomics.add(flags, 0, 1) + 1;
    parentPort.postMessage(sent);
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
  /** [0]: interrupts so far; [1]: set to stop the worker; [2]: the last interrupt the main thread took. */
  private readonly flags = new Int32Array(new SharedArrayBuffer(12));
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
      Atomics.store(this.flags, 2, count);
      Atomics.notify(this.flags, 2);
      if (count > this.base) onSigint();
      // Taken while no cell runs: it stops what runs now (a widget callback) but not a timer's call later.
      if (this.cells === 0) this.base = count;
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
    // The cell's interrupt ends with it: code that runs later outside a cell (a timer's call) goes on.
    if (this.cells === 0) this.base = Atomics.load(this.flags, 0);
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
