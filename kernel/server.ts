// The kernel's side of the Jupyter messaging protocol (5.3) over ZeroMQ: shell and control requests,
// IOPub broadcasts (status, execute_input, stream, display_data, execute_result, error), heartbeat.
// Execution goes through `Session` (tslab's executor); everything the protocol asks of a kernel and plain
// tslab leaves out is done here.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseMessage, PROTOCOL_VERSION, reply, serializeMessage, type Message } from './wire.ts';
import { Session, type CellError } from './session.ts';
import { installKernelHook, type DisplayMessage } from '../src/display/hook.ts';
import { setInterruptSignal } from '../src/train/trainer.ts';
import { mimeBundle } from '../src/display/mime.ts';
import { VERSION } from '../src/version.ts';

const require = createRequire(import.meta.url);
type Socket = { bind(addr: string): Promise<void>; send(frames: (Buffer | string)[]): Promise<void>; close(): void } & AsyncIterable<Buffer[]>;

interface Connection {
  transport: string;
  ip: string;
  key: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
}

/** How long (ms) an interrupted cell gets to stop at its next step before it is abandoned. */
const INTERRUPT_GRACE_MS = 3000;

export class KernelServer {
  private readonly conn: Connection;
  private readonly session = new Session();
  private sockets!: Record<'shell' | 'control' | 'iopub' | 'stdin' | 'hb', Socket>;
  /** One send at a time per socket (ZeroMQ sockets are not re-entrant). */
  private readonly sending = new Map<Socket, Promise<void>>();
  private executionCount = 0;
  private readonly history: [number, number, string][] = [];
  /** Executions run one after another; `queued` counts requests waiting. */
  private executing: Promise<void> = Promise.resolve();
  private queued = 0;
  /** After a failed cell, requests already queued are aborted (stop_on_error), as IPython does. */
  private abortQueued = 0;
  private running: { controller: AbortController; timer?: NodeJS.Timeout } | undefined;

  constructor(connectionFile: string) {
    this.conn = JSON.parse(readFileSync(connectionFile, 'utf8'));
  }

  async start(): Promise<void> {
    const zmq = require('zeromq');
    this.sockets = { shell: new zmq.Router(), control: new zmq.Router(), iopub: new zmq.Publisher(), stdin: new zmq.Router(), hb: new zmq.Reply() };
    const { transport, ip } = this.conn;
    await Promise.all((['shell', 'control', 'iopub', 'stdin', 'hb'] as const).map((n) => this.sockets[n].bind(`${transport}://${ip}:${this.conn[`${n}_port`]}`)));
    void this.serve(this.sockets.hb, async (frames) => this.send(this.sockets.hb, frames));
    void this.serve(this.sockets.shell, (frames) => this.onRequest(this.sockets.shell, frames));
    void this.serve(this.sockets.control, (frames) => this.onRequest(this.sockets.control, frames));
    process.on('SIGINT', () => this.interrupt());
  }

  private async serve(socket: Socket, handle: (frames: Buffer[]) => Promise<void>): Promise<void> {
    try {
      for await (const frames of socket) void handle(frames).catch((e) => process.stderr.write(`ednas kernel: ${(e as Error).stack}\n`));
    } catch {
      // The socket was closed at shutdown.
    }
  }

  private send(socket: Socket, frames: (Buffer | string)[]): Promise<void> {
    const next = (this.sending.get(socket) ?? Promise.resolve()).then(() => socket.send(frames)).catch(() => {});
    this.sending.set(socket, next);
    return next;
  }

  private publish(parent: Message<unknown>, type: string, content: unknown): Promise<void> {
    return this.send(this.sockets.iopub, serializeMessage(reply(parent, type, content, [Buffer.from(type)]), this.conn.key));
  }

  private respond(socket: Socket, parent: Message<unknown>, type: string, content: unknown): Promise<void> {
    return this.send(socket, serializeMessage(reply(parent, type, content), this.conn.key));
  }

  private async onRequest(socket: Socket, frames: Buffer[]): Promise<void> {
    const msg = parseMessage(frames, this.conn.key);
    const type = msg.header.msg_type;
    const content = msg.content as Record<string, unknown>;
    await this.publish(msg, 'status', { execution_state: 'busy' });
    try {
      switch (type) {
        case 'kernel_info_request': return await this.respond(socket, msg, 'kernel_info_reply', this.kernelInfo());
        case 'execute_request': return await this.execute(socket, msg as unknown as Message<ExecuteRequest>);
        case 'complete_request': return await this.respond(socket, msg, 'complete_reply', this.session.complete(String(content.code), Number(content.cursor_pos)));
        case 'inspect_request': return await this.respond(socket, msg, 'inspect_reply', this.session.inspect(String(content.code), Number(content.cursor_pos)));
        case 'is_complete_request': return await this.respond(socket, msg, 'is_complete_reply', this.session.isComplete(String(content.code)));
        case 'history_request': return await this.respond(socket, msg, 'history_reply', { status: 'ok', history: this.historyFor(content) });
        case 'comm_info_request': return await this.respond(socket, msg, 'comm_info_reply', { status: 'ok', comms: {} });
        case 'interrupt_request':
          this.interrupt();
          return await this.respond(socket, msg, 'interrupt_reply', { status: 'ok' });
        case 'shutdown_request': {
          await this.respond(socket, msg, 'shutdown_reply', { status: 'ok', restart: Boolean(content.restart) });
          await this.publish(msg, 'status', { execution_state: 'idle' });
          return this.shutdown();
        }
        default:
          // Unknown requests get no reply, as the protocol allows; say so on stderr for whoever debugs it.
          process.stderr.write(`ednas kernel: unsupported request ${type}\n`);
      }
    } finally {
      if (type !== 'shutdown_request') await this.publish(msg, 'status', { execution_state: 'idle' });
    }
  }

  private kernelInfo() {
    return {
      status: 'ok',
      protocol_version: PROTOCOL_VERSION,
      implementation: 'ednas',
      implementation_version: VERSION,
      language_info: {
        name: 'typescript', version: require('@tslab/typescript-for-tslab/package.json').version, mimetype: 'text/typescript', file_extension: '.ts',
        codemirror_mode: { name: 'javascript', typescript: true }, pygments_lexer: 'typescript',
      },
      banner: `EDNAS ${VERSION}: TypeScript with the EDNAS library (import { ... } from 'ednas'), on tslab`,
      help_links: [{ text: 'EDNAS', url: 'https://github.com/ednas/ednas#readme' }],
    };
  }

  private historyFor(c: Record<string, unknown>): [number, number, string][] {
    const n = Number(c.n ?? 10);
    if (c.hist_access_type === 'search') {
      const pattern = new RegExp('^' + String(c.pattern ?? '*').replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 's');
      return this.history.filter(([, , code]) => pattern.test(code)).slice(-n);
    }
    if (c.hist_access_type === 'range') return this.history.filter(([, line]) => line >= Number(c.start ?? 0) && line < Number(c.stop ?? Infinity));
    return this.history.slice(-n);
  }

  private execute(socket: Socket, msg: Message<ExecuteRequest>): Promise<void> {
    this.queued++;
    const run = this.executing.then(async () => {
      this.queued--;
      if (this.abortQueued > 0) {
        this.abortQueued--;
        return this.respond(socket, msg, 'execute_reply', { status: 'aborted', execution_count: this.executionCount });
      }
      const failed = await this.runCell(socket, msg);
      if (failed && msg.content.stop_on_error !== false) this.abortQueued = this.queued;
    });
    this.executing = run.catch(() => {});
    return run;
  }

  /** Runs one cell and replies; true when it failed. */
  private async runCell(socket: Socket, msg: Message<ExecuteRequest>): Promise<boolean> {
    const { code, silent = false } = msg.content;
    const store = msg.content.store_history !== false && !silent;
    if (store) this.executionCount++;
    const count = this.executionCount;
    if (!silent) await this.publish(msg, 'execute_input', { code, execution_count: count });
    if (store) this.history.push([1, count, code]);
    const controller = new AbortController();
    this.running = { controller };
    // Output written later (timers, unawaited promises) goes to the last cell that ran, as in IPython.
    this.redirectOutput(msg, silent);
    setInterruptSignal(controller.signal);
    installKernelHook({
      display: (m: DisplayMessage) => {
        if (silent) return;
        void this.publish(msg, m.update ? 'update_display_data' : 'display_data', { data: m.data, metadata: m.metadata ?? {}, transient: m.displayId ? { display_id: m.displayId } : {} });
      },
    });
    let error: CellError | undefined;
    try {
      const outcome = await this.session.execute(code);
      if (!outcome.ok) error = outcome.error;
      else if (outcome.hasValue && !silent) await this.publish(msg, 'execute_result', { execution_count: count, data: mimeBundle(outcome.value), metadata: {} });
    } catch (e) {
      error = { ename: (e as Error).name ?? 'Error', evalue: (e as Error).message ?? String(e), traceback: String((e as Error).stack ?? e).split('\n') };
    } finally {
      clearTimeout(this.running?.timer);
      this.running = undefined;
    }
    if (error && controller.signal.aborted) error = { ...error, ename: 'KeyboardInterrupt', evalue: 'the cell was interrupted' };
    if (error) {
      if (!silent) await this.publish(msg, 'error', error);
      await this.respond(socket, msg, 'execute_reply', { status: 'error', execution_count: count, ...error });
      return true;
    }
    await this.respond(socket, msg, 'execute_reply', { status: 'ok', execution_count: count, payload: [], user_expressions: {} });
    return false;
  }

  /** stdout and stderr of the process become stream messages of the current cell. */
  private redirectOutput(msg: Message<unknown>, silent: boolean): void {
    const stream = (name: 'stdout' | 'stderr') => (chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      if (!silent && text) void this.publish(msg, 'stream', { name, text });
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    };
    process.stdout.write = stream('stdout') as typeof process.stdout.write;
    process.stderr.write = stream('stderr') as typeof process.stderr.write;
  }

  /**
   * Interrupt: the cell's AbortSignal fires, so training stops cleanly at its next step; a cell that does
   * not stop within the grace period is abandoned (tslab's interrupt).
   */
  interrupt(): void {
    const r = this.running;
    if (!r) return;
    r.controller.abort();
    r.timer ??= setTimeout(() => { if (this.running === r) this.session.interrupt(); }, INTERRUPT_GRACE_MS);
  }

  private shutdown(): void {
    this.session.close();
    for (const s of Object.values(this.sockets)) s.close();
    setTimeout(() => process.exit(0), 50);
  }
}

interface ExecuteRequest {
  code: string;
  silent?: boolean;
  store_history?: boolean;
  allow_stdin?: boolean;
  stop_on_error?: boolean;
}
