// A notebook run by a worker process, seen from the host (the page server, or `ednas run NOTEBOOK`): the
// host never runs cell code, so a cell that loops forever, fails outside its run or takes all the memory
// cannot make it deaf or end it. The worker is a child process in its own process group with a memory
// limit (its heap, and its resident memory watched from here): past it the group is killed, not the
// server, and the notebook restarts. A restart or the end kills the whole group, so processes a cell
// started go with it. The host keeps every cell's latest view, the edits made and the inputs set (a
// restart keeps them), takes input values and runs of stale cells, interrupts (training cells stop at
// their next step; a cell that does not stop is held back and the worker restarted), saves edits into
// the file, and closes cleanly.
import { EventEmitter } from 'node:events';
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { workerMemoryLimitMb, residentMb, killGroup, heapFlag } from './worker-limits.ts';
import { saveNotebook, textHash } from './save.ts';
import type { FromWorker, OpenOptions, ToWorker } from './protocol.ts';
import { actionNamed, type ActionName, type ActionPayload, type KeptState } from './actions.ts';
import type { CellView } from './view.ts';
import { whenIdle } from './when-idle.ts';

/** How long (ms) running cells get to stop after an interrupt before the worker is restarted without them. */
export const INTERRUPT_GRACE_MS = 3000;
/** How often (ms) the worker's resident memory is read. */
const MEMORY_POLL_MS = 50;

export interface HostOptions extends Omit<OpenOptions, 'file' | 'edits' | 'stopped'> {
  /** The most memory (MB) the cells may take (default: EDNAS_NOTEBOOK_MEMORY_MB, else 3/4 of the machine's). */
  memoryMb?: number;
}

const busy = (c: CellView) => c.state === 'running' || c.live;

export class NotebookHost extends EventEmitter {
  readonly cells = new Map<string, CellView>();
  intro = '';
  idle = false;
  private worker!: ChildProcess;
  private readonly memoryMb: number;
  /** Why the host killed the worker it is replacing (memory), for the message about its end. */
  private killedFor = new WeakMap<ChildProcess, string>();
  private readonly onExit = () => {
    if (this.worker) killGroup(this.worker);
  };
  private hash: string;
  /** The edits made, the values given to input cells since the notebook opened, lazy mode. */
  private readonly kept: KeptState;
  private readonly replies = new Map<number, (error?: string) => void>();
  private nextId = 0;
  private closing = false;

  private constructor(
    readonly file: string,
    private readonly options: HostOptions,
  ) {
    super();
    this.hash = textHash(readFileSync(file, 'utf8'));
    this.kept = { edits: new Map(), inputValues: new Map(), lazyAll: Boolean(options.lazyAll) };
    this.memoryMb = workerMemoryLimitMb(options.memoryMb);
    // The server's end, however it comes, takes the cells' processes with it.
    process.on('exit', this.onExit);
  }

  /** The most memory (MB) the worker may take before it is stopped. */
  get memoryLimitMb(): number {
    return this.memoryMb;
  }

  /** Whether every computed cell waits to be run when its inputs change. */
  get lazy(): boolean {
    return this.kept.lazyAll;
  }

  /** Opens the notebook in a worker; resolves once every cell is defined (they go on running). */
  static async open(file: string, o: HostOptions = {}): Promise<NotebookHost> {
    const host = new NotebookHost(resolve(file), o);
    await host.start(new Map());
    return host;
  }

  private start(stopped: Map<string, string>): Promise<void> {
    // Its own process group (detached): killing the group ends whatever the cells started too.
    const worker = fork(new URL('./worker-boot.js', import.meta.url), [], {
      detached: true,
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [...process.execArgv.filter((a) => !a.startsWith('--max-old-space-size')), heapFlag(this.memoryMb)],
    });
    this.worker = worker;
    const watch = setInterval(() => {
      const mb = residentMb(worker.pid);
      if (mb === undefined || mb <= this.memoryMb || this.killedFor.has(worker)) return;
      const limit = `the notebook's limit of ${this.memoryMb} MB (--memory MB)`;
      this.killedFor.set(worker, `the cells took ${Math.round(mb)} MB of memory, past ${limit}`);
      killGroup(worker);
    }, MEMORY_POLL_MS);
    watch.unref();
    let opened = false;
    return new Promise<void>((resolveOpen, rejectOpen) => {
      worker.on('message', (m: FromWorker) => {
        if (this.worker !== worker) return;
        if (m.type === 'opened') {
          opened = true;
          this.intro = m.intro;
          this.cells.clear();
          this.update(m.cells, m.idle);
          resolveOpen();
        } else if (m.type === 'failed') {
          rejectOpen(new Error(m.error));
        } else if (m.type === 'cells') {
          this.update(m.views, m.idle);
        } else if (m.type === 'reply') {
          this.replies.get(m.id)?.(m.error);
          this.replies.delete(m.id);
        } else if (m.type === 'problem') {
          this.emit('problem', m.message);
        }
      });
      worker.on('error', (e) => this.emit('problem', `the notebook's worker failed: ${e.message}`));
      worker.on('exit', (code, signal) => {
        clearInterval(watch);
        // What the cells started goes with the worker, whatever ended it.
        killGroup(worker);
        if (this.worker !== worker || this.closing) return;
        const aborted = code === 134 || signal === 'SIGABRT';
        const heap = aborted ? `; it may have run out of its heap (limit ${this.memoryMb} MB, --memory MB)` : '';
        const how = code !== null ? `exit code ${code}` : signal;
        const cause = this.killedFor.get(worker) ?? `the process running the cells stopped (${how}${heap})`;
        if (!opened) return rejectOpen(new Error(`${cause} before the notebook opened`));
        for (const reply of this.replies.values()) reply(cause);
        this.replies.clear();
        this.emit('problem', `${cause}; restarting it without the cells that were running, with your edits`);
        const running = [...this.cells.values()].filter(busy).map((c) => c.name);
        void this.restartWithout(running, `it was running when ${cause}`).catch((e) =>
          this.emit('problem', (e as Error).message),
        );
      });
      // Inputs set on the page win over the command line's values for them.
      const sets = new Map([...(this.options.sets ?? []), ...this.kept.inputValues]);
      const rawSets = new Map([...(this.options.rawSets ?? [])].filter(([n]) => !this.kept.inputValues.has(n)));
      const { memoryMb: _, ...options } = this.options;
      const open: ToWorker = {
        type: 'open',
        file: this.file,
        ...options,
        sets,
        rawSets,
        lazyAll: this.kept.lazyAll,
        edits: new Map(this.kept.edits),
        stopped,
      };
      worker.send(open);
    });
  }

  private update(views: CellView[], idle: boolean): void {
    for (const v of views) {
      this.cells.set(v.name, v);
      this.emit('cell', v);
    }
    this.idle = idle;
    this.emit('idle', idle);
  }

  /**
   * Does an action of the table (actions.ts) in the worker and keeps what a restart needs of it; rejects
   * with the reason it was refused (a cell named that does not exist, the session's own refusal).
   */
  act<N extends ActionName>(action: N, payload: ActionPayload<N>): Promise<void> {
    const name = (payload as { name?: unknown }).name;
    if (typeof name === 'string' && !this.cells.has(name)) return Promise.reject(new Error(`no cell named ${name}`));
    const id = ++this.nextId;
    return new Promise((resolveReply, rejectReply) => {
      this.replies.set(id, (error) => {
        if (error) return rejectReply(new Error(error));
        actionNamed(action)!.keep?.(this.kept, payload);
        resolveReply();
      });
      this.worker.send({ type: 'act', action, payload, id } as ToWorker);
    });
  }

  /**
   * Stops the running cells: training cells stop at their next step. Cells still running after the grace
   * period (a loop that never yields) are held back, and the notebook restarts without running them. 'idle'
   * when no cell was running: the page says so instead of "interrupted".
   */
  async interrupt(graceMs = INTERRUPT_GRACE_MS): Promise<'idle' | 'stopped' | 'restarted'> {
    // Sent even when no cell shows as running: the views may lag a cell that has just started.
    this.worker.send({ type: 'interrupt' } satisfies ToWorker);
    if (![...this.cells.values()].some(busy)) return 'idle';
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline) {
      if (![...this.cells.values()].some(busy)) return 'stopped';
      await new Promise((r) => setTimeout(r, 50));
    }
    const stuck = [...this.cells.values()].filter(busy).map((c) => c.name);
    await this.restartWithout(stuck, `it did not stop within ${graceMs / 1000} s of the interrupt`);
    return 'restarted';
  }

  /** A fresh worker with the current edits; the cells named are held back with `why` as their error. */
  async restartWithout(names: string[], why: string): Promise<void> {
    const stopped = new Map(
      names.map((n) => [
        n,
        `stopped: ${why}, so the notebook restarted without running it. Edit it, or run it again with Shift+Enter.`,
      ]),
    );
    const old = this.worker;
    this.worker = undefined as unknown as ChildProcess;
    await stopWorker(old);
    for (const reply of this.replies.values()) reply('the notebook restarted');
    this.replies.clear();
    this.emit('restart', names);
    await this.start(stopped);
  }

  /** A fresh worker running every cell again, with the current edits. */
  restart(): Promise<void> {
    return this.restartWithout([], '');
  }

  /** Writes the edits into the notebook file (refused, with the edits kept aside, when it changed outside). */
  save(): void {
    this.hash = saveNotebook(this.file, this.hash, new Map([...this.cells.values()].map((c) => [c.name, c.text])));
  }

  /** Resolves once the notebook has been idle for `quietMs` (the runtime schedules dependents asynchronously). */
  whenIdle(quietMs = 100): Promise<void> {
    return whenIdle(this, 'idle', () => this.idle, quietMs);
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.worker) await stopWorker(this.worker);
    process.off('exit', this.onExit);
    this.removeAllListeners();
  }
}

/** Kills the worker's process group (the worker and what its cells started) and waits for the worker's end. */
async function stopWorker(worker: ChildProcess): Promise<void> {
  const ended = worker.exitCode !== null || worker.signalCode !== null;
  const exited = ended ? Promise.resolve() : new Promise<void>((r) => worker.once('exit', () => r()));
  killGroup(worker);
  await exited;
}
