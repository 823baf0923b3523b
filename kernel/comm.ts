// Jupyter comms, as ipykernel keeps them: channels between an object in the kernel and one in the front
// end. The kernel opens comms (widgets: comm_open on IOPub), the front end opens comms to targets the
// kernel registered (an unknown target is closed at once, as ipykernel does), messages go both ways
// (comm_msg), either side closes (comm_close), and comm_info_request lists the open ones. Front-end comm
// messages arrive on shell and get no reply; what a handler sends back is parented to the message it
// handles, and what cell code sends to the request that ran it, so nbclient records a widget's state
// with the cell that made it.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Comm, CommData, CommHost } from '../src/display/hook.ts';
import type { Message } from './wire.ts';

type Publish = (
  parent: Message<unknown>,
  type: 'comm_open' | 'comm_msg' | 'comm_close',
  content: unknown,
  o: { metadata?: Record<string, unknown>; buffers?: Uint8Array[] },
) => Promise<void>;
type Log = (text: string) => void;

class KernelComm implements Comm {
  private readonly messageHandlers: ((data: CommData, buffers: Uint8Array[]) => unknown)[] = [];
  private readonly closeHandlers: ((data: CommData) => void)[] = [];
  closed = false;

  constructor(
    readonly id: string,
    readonly targetName: string,
    private readonly manager: CommManager,
  ) {}

  send(data: CommData, o: { metadata?: Record<string, unknown>; buffers?: Uint8Array[] } = {}): void {
    if (this.closed) return;
    this.manager.publish('comm_msg', { comm_id: this.id, data }, o);
  }

  close(data: CommData = {}): void {
    if (this.closed) return;
    this.manager.publish('comm_close', { comm_id: this.id, data }, {});
    this.closedBy(data);
  }

  onMessage(handler: (data: CommData, buffers: Uint8Array[]) => unknown): void {
    this.messageHandlers.push(handler);
  }

  onClose(handler: (data: CommData) => void): void {
    this.closeHandlers.push(handler);
  }

  /** A message from the front end: every handler, in order; resolves when they are done. */
  async received(data: CommData, buffers: Uint8Array[]): Promise<void> {
    for (const h of this.messageHandlers) await h(data, buffers);
  }

  closedBy(data: CommData): void {
    this.closed = true;
    this.manager.forget(this.id);
    for (const h of this.closeHandlers) h(data);
  }
}

export class CommManager implements CommHost {
  private readonly comms = new Map<string, KernelComm>();
  private readonly targets = new Map<string, (comm: Comm, data: CommData) => unknown>();
  /** The request being handled in this async context (a cell, or a front-end comm message). */
  private readonly context = new AsyncLocalStorage<Message<unknown>>();
  /** The parent of messages sent outside any request's context (a timer of an earlier cell). */
  private lastParent: Message<unknown> | undefined;

  constructor(
    private readonly send: Publish,
    private readonly log: Log,
  ) {}

  /** Runs `work` with `parent` as the parent of the comm messages it sends. */
  within<T>(parent: Message<unknown>, work: () => T): T {
    this.lastParent = parent;
    return this.context.run(parent, work);
  }

  /**
   * The front-end comm message being handled in this async context, if any (its output goes to it, as in
   * ipykernel).
   */
  handling(): Message<unknown> | undefined {
    const m = this.context.getStore();
    return m?.header.msg_type.startsWith('comm_') ? m : undefined;
  }

  publish(
    type: 'comm_open' | 'comm_msg' | 'comm_close',
    content: unknown,
    o: { metadata?: Record<string, unknown>; buffers?: Uint8Array[] },
  ): void {
    const parent = this.context.getStore() ?? this.lastParent;
    if (!parent) {
      this.log(`${type} with no request to answer to was dropped`);
      return;
    }
    void this.send(parent, type, content, o);
  }

  forget(id: string): void {
    this.comms.delete(id);
  }

  open(target: string, data: CommData, o: { metadata?: Record<string, unknown>; buffers?: Uint8Array[] } = {}): Comm {
    const comm = new KernelComm(randomUUID().replace(/-/g, ''), target, this);
    this.comms.set(comm.id, comm);
    this.publish('comm_open', { comm_id: comm.id, target_name: target, data, target_module: null }, o);
    return comm;
  }

  registerTarget(target: string, handler: (comm: Comm, data: CommData) => unknown): void {
    this.targets.set(target, handler);
  }

  unregisterTarget(target: string): void {
    this.targets.delete(target);
  }

  /** comm_info_reply's comms: every open comm (of `target` when given) with its target name. */
  info(target?: unknown): Record<string, { target_name: string }> {
    const out: Record<string, { target_name: string }> = {};
    for (const c of this.comms.values())
      if (typeof target !== 'string' || !target || c.targetName === target) out[c.id] = { target_name: c.targetName };
    return out;
  }

  /** comm_open, comm_msg or comm_close from the front end. */
  async handle(msg: Message<unknown>): Promise<void> {
    const content = (msg.content ?? {}) as { comm_id?: unknown; target_name?: unknown; data?: unknown };
    const id = typeof content.comm_id === 'string' ? content.comm_id : '';
    const data = (typeof content.data === 'object' && content.data !== null ? content.data : {}) as CommData;
    const buffers = (msg.buffers ?? []).map((b) => new Uint8Array(b));
    if (!id) return this.log(`${msg.header.msg_type} without a comm_id ignored`);
    await this.within(msg, async () => {
      switch (msg.header.msg_type) {
        case 'comm_open': {
          const target = String(content.target_name ?? '');
          const handler = this.targets.get(target);
          const comm = new KernelComm(id, target, this);
          if (!handler) {
            // As ipykernel: the front end learns at once that nobody listens there.
            this.log(`no comm target ${JSON.stringify(target)}; the comm is closed`);
            this.publish('comm_close', { comm_id: id, data: {} }, {});
            return;
          }
          this.comms.set(id, comm);
          try {
            await handler(comm, data);
          } catch (e) {
            this.log(`the handler of comm target ${target} failed: ${(e as Error)?.stack ?? e}`);
            comm.close();
          }
          return;
        }
        case 'comm_msg': {
          const comm = this.comms.get(id);
          if (!comm) return this.log(`comm_msg for unknown comm ${id} ignored`);
          try {
            await comm.received(data, buffers);
          } catch (e) {
            console.error(`handling a message of comm ${id} failed: ${(e as Error)?.stack ?? e}`);
          }
          return;
        }
        case 'comm_close': {
          this.comms.get(id)?.closedBy(data);
          return;
        }
      }
    });
  }
}
