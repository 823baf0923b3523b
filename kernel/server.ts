// The kernel's side of the Jupyter messaging protocol (5.3) over ZeroMQ, as ipykernel answers it: shell
// and control requests, IOPub broadcasts (status, execute_input, stream, display_data, execute_result,
// error), stdin (input_request for `input()`), heartbeat. Execution goes through `Session` (our
// executor and type checker); everything the protocol asks of a kernel and plain tslab leaves out is done
// here. The kernel's own troubles (bad signatures, malformed messages) go to its log, never into a cell's output.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  BadMessageError,
  parseMessage,
  PROTOCOL_VERSION,
  reply,
  serializeMessage,
  signer,
  type Message,
  type Signer,
} from './wire.ts';
import { Session, type CellError } from './session.ts';
import { interruptible } from './executor.ts';
import { interrupts } from './sigint.ts';
import { footer, header } from './traceback.ts';
import { StreamBuffer } from './output.ts';
import { History } from './history.ts';
import { CommManager } from './comm.ts';
import { installKernelHook, kernelHook, type DisplayMessage } from '../src/display/hook.ts';
import { mimeBundle } from '../src/display/mime.ts';
import { setInterruptSignal } from '../src/train/trainer.ts';
import { VERSION } from '../src/version.ts';

const require = createRequire(import.meta.url);
type Socket = {
  bind(addr: string): Promise<void>;
  send(frames: (Buffer | string)[]): Promise<void>;
  close(): void;
} & AsyncIterable<Buffer[]>;

interface Connection {
  transport: string;
  ip: string;
  key: string;
  signature_scheme?: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
}

/** How long (ms) an interrupted cell gets to stop at its next step before it is abandoned (1 s in all). */
const INTERRUPT_GRACE_MS = 500;

/** The kernel's log: the process's own stderr (Jupyter keeps it), written before cells take stderr over. */
const stderrWrite = process.stderr.write.bind(process.stderr);
export const kernelLog = (text: string): void => {
  stderrWrite(`[ednas kernel ${new Date().toISOString()}] ${text}\n`);
};

export class KernelServer {
  private readonly conn: Connection;
  private readonly sign: Signer;
  private readonly session = new Session();
  private sockets!: Record<'shell' | 'control' | 'iopub' | 'stdin' | 'hb', Socket>;
  /** One send at a time per socket (ZeroMQ sockets are not re-entrant). */
  private readonly sending = new Map<Socket, Promise<void>>();
  private executionCount = 0;
  private readonly history = new History();
  /** Executions run one after another; `queued` counts requests waiting. */
  private executing: Promise<void> = Promise.resolve();
  private queued = 0;
  /** After a failed cell, requests already queued are aborted (stop_on_error), as IPython does. */
  private abortQueued = 0;
  private running: { controller: AbortController; timer?: NodeJS.Timeout } | undefined;
  private readonly streams = new StreamBuffer<Message<unknown>>((parent, name, text) =>
    this.send(
      this.sockets.iopub,
      serializeMessage(reply(parent, 'stream', { name, text }, [Buffer.from('stream')]), this.sign),
    ),
  );
  /** The input_request waiting for its input_reply. */
  private awaitingInput: { resolve(value: string): void; reject(e: Error): void } | undefined;
  /** Comms (widgets): opened here or by the front end; their messages go out on IOPub. */
  private readonly comms = new CommManager(
    (parent, type, content, o) => this.publish(parent, type, content, o),
    (text) => kernelLog(text),
  );

  constructor(connectionFile: string) {
    this.conn = JSON.parse(readFileSync(connectionFile, 'utf8'));
    this.sign = signer(this.conn.signature_scheme, this.conn.key);
  }

  async start(): Promise<void> {
    const zmq = require('zeromq');
    this.sockets = {
      shell: new zmq.Router(),
      control: new zmq.Router(),
      iopub: new zmq.Publisher(),
      stdin: new zmq.Router(),
      hb: new zmq.Reply(),
    };
    const { transport, ip } = this.conn;
    await Promise.all(
      (['shell', 'control', 'iopub', 'stdin', 'hb'] as const).map((n) =>
        this.sockets[n].bind(`${transport}://${ip}:${this.conn[`${n}_port`]}`),
      ),
    );
    void this.serve(this.sockets.hb, async (frames) => this.send(this.sockets.hb, frames));
    void this.serve(this.sockets.shell, (frames) => this.onRequest(this.sockets.shell, frames));
    void this.serve(this.sockets.control, (frames) => this.onRequest(this.sockets.control, frames));
    void this.serve(this.sockets.stdin, async (frames) => this.onStdin(frames));
    // SIGINT is watched by a worker thread (sigint.ts), which a cell busy after an `await` cannot block.
    await interrupts.watch(() => this.interrupt());
    // tslab's own display API (`import * as tslab from 'tslab'`: tslab.display.html(...), newDisplay())
    // writes through this function of tslab's Jupyter module, which cells share with the kernel.
    require('tslab/dist/jupyter.js').lastWriteDisplayData = (
      d: { data: Record<string, unknown>; metadata?: Record<string, unknown>; transient?: { display_id?: string } },
      update?: boolean,
    ) => {
      const hook = kernelHook();
      if (!hook) throw new Error('tslab.display works while a cell runs in the kernel');
      hook.display({ data: d.data, metadata: d.metadata, displayId: d.transient?.display_id, update: Boolean(update) });
    };
    const starting = {
      identities: [],
      header: { msg_id: '', msg_type: '', session: '', username: 'kernel', date: '', version: PROTOCOL_VERSION },
      parent_header: {},
      metadata: {},
      content: {},
    };
    await this.publishNow(starting as Message<unknown>, 'status', { execution_state: 'starting' });
  }

  private async serve(socket: Socket, handle: (frames: Buffer[]) => Promise<void>): Promise<void> {
    try {
      for await (const frames of socket)
        void handle(frames).catch((e) =>
          kernelLog(e instanceof BadMessageError ? e.message : `error: ${(e as Error).stack ?? e}`),
        );
    } catch {
      // The socket was closed at shutdown.
    }
  }

  private send(socket: Socket, frames: (Buffer | string)[]): Promise<void> {
    const next = (this.sending.get(socket) ?? Promise.resolve())
      .then(() => socket.send(frames))
      .catch((e) => kernelLog(`send failed: ${(e as Error).message}`));
    this.sending.set(socket, next);
    return next;
  }

  private publishNow(
    parent: Message<unknown>,
    type: string,
    content: unknown,
    o: { metadata?: Record<string, unknown>; buffers?: Uint8Array[] } = {},
  ): Promise<void> {
    const m = reply(parent, type, content, [Buffer.from(type)]);
    if (o.metadata) m.metadata = o.metadata;
    if (o.buffers?.length) m.buffers = o.buffers.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    return this.send(this.sockets.iopub, serializeMessage(m, this.sign));
  }

  /**
   * An IOPub message after the stream output that came before it: both are queued at once, in order (a
   * socket sends in the order of queueing), so text written right after it cannot overtake it.
   */
  private publish(
    parent: Message<unknown>,
    type: string,
    content: unknown,
    o: { metadata?: Record<string, unknown>; buffers?: Uint8Array[] } = {},
  ): Promise<void> {
    void this.streams.flush();
    return this.publishNow(parent, type, content, o);
  }

  private respond(socket: Socket, parent: Message<unknown>, type: string, content: unknown): Promise<void> {
    return this.send(socket, serializeMessage(reply(parent, type, content), this.sign));
  }

  private async onRequest(socket: Socket, frames: Buffer[]): Promise<void> {
    const msg = parseMessage(frames, this.sign);
    const type = msg.header.msg_type;
    const content = msg.content as Record<string, unknown>;
    await this.publish(msg, 'status', { execution_state: 'busy' });
    try {
      switch (type) {
        case 'kernel_info_request':
          return await this.respond(socket, msg, 'kernel_info_reply', this.kernelInfo());
        case 'execute_request':
          return await this.execute(socket, msg as unknown as Message<ExecuteRequest>);
        case 'complete_request':
          return await this.respond(
            socket,
            msg,
            'complete_reply',
            this.session.complete(String(content.code ?? ''), Number(content.cursor_pos ?? 0)),
          );
        case 'inspect_request':
          return await this.respond(
            socket,
            msg,
            'inspect_reply',
            this.session.inspect(String(content.code ?? ''), Number(content.cursor_pos ?? 0)),
          );
        case 'is_complete_request':
          return await this.respond(
            socket,
            msg,
            'is_complete_reply',
            this.session.isComplete(String(content.code ?? '')),
          );
        case 'history_request':
          return await this.respond(socket, msg, 'history_reply', {
            status: 'ok',
            history: this.history.query(content),
          });
        case 'comm_info_request':
          return await this.respond(socket, msg, 'comm_info_reply', {
            status: 'ok',
            comms: this.comms.info(content.target_name),
          });
        // From the front end; no reply, but busy and idle around them (widget front ends wait for the idle).
        case 'comm_open':
        case 'comm_msg':
        case 'comm_close':
          return await this.comms.handle(msg);
        case 'interrupt_request':
          interrupts.raise();
          this.interrupt();
          return await this.respond(socket, msg, 'interrupt_reply', { status: 'ok' });
        case 'shutdown_request': {
          await this.respond(socket, msg, 'shutdown_reply', { status: 'ok', restart: Boolean(content.restart) });
          await this.publish(msg, 'status', { execution_state: 'idle' });
          return this.shutdown();
        }
        default:
          // Unknown requests get no reply, as the protocol allows (ipykernel logs them the same way).
          kernelLog(`unsupported request ${type}`);
      }
    } finally {
      if (type !== 'shutdown_request') await this.publish(msg, 'status', { execution_state: 'idle' });
    }
  }

  private onStdin(frames: Buffer[]): void {
    const msg = parseMessage(frames, this.sign);
    if (msg.header.msg_type !== 'input_reply') {
      kernelLog(`unexpected ${msg.header.msg_type} on stdin`);
      return;
    }
    const waiting = this.awaitingInput;
    this.awaitingInput = undefined;
    waiting?.resolve(String((msg.content as { value?: unknown }).value ?? ''));
  }

  private kernelInfo() {
    return {
      status: 'ok',
      protocol_version: PROTOCOL_VERSION,
      implementation: 'ednas',
      implementation_version: VERSION,
      language_info: {
        name: 'typescript',
        version: require('typescript/package.json').version,
        mimetype: 'text/typescript',
        file_extension: '.ts',
        codemirror_mode: { name: 'javascript', typescript: true },
        pygments_lexer: 'typescript',
        nbconvert_exporter: 'script',
      },
      banner:
        `EDNAS ${VERSION}: TypeScript ${require('typescript/package.json').version} ` +
        "with the EDNAS library (import { ... } from 'ednas')",
      help_links: [{ text: 'EDNAS', url: 'https://github.com/ednas/ednas#readme' }],
      debugger: false,
    };
  }

  private execute(socket: Socket, msg: Message<ExecuteRequest>): Promise<void> {
    this.queued++;
    const run = this.executing.then(async () => {
      this.queued--;
      if (this.abortQueued > 0) {
        this.abortQueued--;
        // As ipykernel: no execution count, so the front end shows the cell as never run.
        return this.respond(socket, msg, 'execute_reply', { status: 'aborted' });
      }
      const failed = await this.runCell(socket, msg);
      if (failed && msg.content.stop_on_error !== false) this.abortQueued = this.queued;
    });
    this.executing = run.catch((e) => kernelLog(`execution failed: ${(e as Error).stack ?? e}`));
    return run;
  }

  /** Runs one cell and replies; true when it failed. */
  private async runCell(socket: Socket, msg: Message<ExecuteRequest>): Promise<boolean> {
    const { code = '', silent = false } = msg.content;
    const store = msg.content.store_history !== false && !silent;
    if (store) this.executionCount++;
    const count = this.executionCount;
    if (!silent) await this.publish(msg, 'execute_input', { code, execution_count: count });
    if (store) this.history.add(count, code);
    // `name?` pages the name's type and documentation, as IPython's `?` does (never valid TypeScript).
    const asked = /^\s*([\p{L}_$][\p{L}\p{N}_$.]*)\?\s*$/u.exec(code);
    if (asked) {
      const info = this.session.inspect(asked[1], asked[1].length);
      const text = info.found ? String(info.data['text/plain']) : `${asked[1]}: nothing known by that name`;
      await this.respond(socket, msg, 'execute_reply', {
        status: 'ok',
        execution_count: count,
        payload: [{ source: 'page', data: { 'text/plain': text }, start: 0 }],
        user_expressions: {},
      });
      return false;
    }
    const controller = new AbortController();
    this.running = { controller };
    // Output written later (timers, unawaited promises) goes to the last cell that ran, as in IPython.
    this.redirectOutput(msg, silent);
    setInterruptSignal(controller.signal);
    installKernelHook({
      display: (m: DisplayMessage) => {
        if (silent) return;
        void this.publish(msg, m.update ? 'update_display_data' : 'display_data', {
          data: m.data,
          metadata: m.metadata ?? {},
          transient: m.displayId ? { display_id: m.displayId } : {},
        });
      },
      input: (prompt, password) => this.input(socket, msg, prompt, password),
      clear: (wait) => {
        if (!silent) void this.publish(msg, 'clear_output', { wait });
      },
      comms: this.comms,
      guard: interruptible,
    });
    let error: CellError | undefined;
    try {
      const outcome = await this.comms.within(msg, () => this.session.execute(code, `In[${count}]`));
      if (!outcome.ok) error = outcome.error;
      else if (outcome.hasValue && !silent) {
        const data = mimeBundle(outcome.value);
        if (store) this.history.setOutput(count, String(data['text/plain'] ?? ''));
        await this.publish(msg, 'execute_result', { execution_count: count, data, metadata: {} });
      }
    } catch (e) {
      error = this.session.executor.errorOf(e);
    } finally {
      clearTimeout(this.running?.timer);
      this.running = undefined;
    }
    // A cell that failed because its signal fired (training stopped by an interrupt) was interrupted.
    if (error && controller.signal.aborted && error.ename !== 'KeyboardInterrupt') {
      error = {
        ename: 'KeyboardInterrupt',
        evalue: '',
        traceback: [...error.traceback.slice(0, -1), footer('KeyboardInterrupt', '')],
      };
      error.traceback[1] = header('KeyboardInterrupt')[1];
    }
    await this.streams.flush();
    if (error) {
      if (!silent) await this.publish(msg, 'error', error);
      await this.respond(socket, msg, 'execute_reply', { status: 'error', execution_count: count, ...error });
      return true;
    }
    const userExpressions = await this.evaluate(msg.content.user_expressions ?? {});
    await this.respond(socket, msg, 'execute_reply', {
      status: 'ok',
      execution_count: count,
      payload: [],
      user_expressions: userExpressions,
    });
    return false;
  }

  /** user_expressions: each evaluated after the cell, its value as a MIME bundle or its error (as ipykernel). */
  private async evaluate(expressions: Record<string, unknown>): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const [name, expression] of Object.entries(expressions)) {
      const r = await this.session.execute(String(expression));
      out[name] = r.ok
        ? { status: 'ok', data: mimeBundle(r.hasValue ? r.value : undefined), metadata: {} }
        : { status: 'error', ...r.error };
    }
    return out;
  }

  /** input(): an input_request to the front end that sent the cell, when it takes input (allow_stdin). */
  private async input(
    _socket: Socket,
    msg: Message<ExecuteRequest>,
    prompt: string,
    password: boolean,
  ): Promise<string> {
    if (msg.content.allow_stdin === false) {
      const e = new Error(
        'input() needs a front end that takes input; this one sent the cell with allow_stdin false ' +
          '(nbconvert, some clients). Pass the value in code instead.',
      );
      e.name = 'StdinNotImplementedError';
      throw e;
    }
    if (this.awaitingInput) throw new Error('input(): another input() is still waiting for its answer');
    await this.streams.flush();
    const answer = new Promise<string>((resolve, reject) => {
      this.awaitingInput = { resolve, reject };
    });
    await this.send(this.sockets.stdin, serializeMessage(reply(msg, 'input_request', { prompt, password }), this.sign));
    return answer;
  }

  /** stdout and stderr of the process become stream messages of the current cell, coalesced. */
  private redirectOutput(msg: Message<unknown>, silent: boolean): void {
    const stream =
      (name: 'stdout' | 'stderr') =>
      (chunk: string | Uint8Array, ...rest: unknown[]) => {
        const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
        // A widget callback's output answers the front end's message that ran it, as ipykernel's does.
        const handling = this.comms.handling();
        if (handling) this.streams.write(handling, name, text);
        else if (!silent) this.streams.write(msg, name, text);
        const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
        callback?.();
        return true;
      };
    process.stdout.write = stream('stdout') as typeof process.stdout.write;
    process.stderr.write = stream('stderr') as typeof process.stderr.write;
  }

  /**
   * Interrupt: the cell's AbortSignal fires, so training stops cleanly at its next step, and an input()
   * waiting for its answer gives up; a cell that does not stop within the grace period is abandoned
   * (tslab's interrupt).
   */
  interrupt(): void {
    const r = this.running;
    if (!r) return;
    r.controller.abort();
    if (this.awaitingInput) {
      const e = new Error('input() was interrupted');
      e.name = 'KeyboardInterrupt';
      this.awaitingInput.reject(e);
      this.awaitingInput = undefined;
    }
    r.timer ??= setTimeout(() => {
      if (this.running === r) this.session.interrupt();
    }, INTERRUPT_GRACE_MS);
  }

  private shutdown(): void {
    interrupts.close();
    this.session.close();
    for (const s of Object.values(this.sockets)) s.close();
    setTimeout(() => process.exit(0), 50);
  }
}

interface ExecuteRequest {
  code?: string;
  silent?: boolean;
  store_history?: boolean;
  user_expressions?: Record<string, unknown>;
  allow_stdin?: boolean;
  stop_on_error?: boolean;
}
