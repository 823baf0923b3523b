// The link between the library and a running notebook kernel: the kernel installs a hook through which
// rich outputs reach the notebook, input is asked for, and comms (Jupyter's channels between kernel
// objects and front-end objects, which widgets live on) are opened. Its interrupt signal is the training
// contract's (train/trainer.ts). Outside a kernel there is no hook: outputs fall back to text and widgets
// keep their state to themselves.
export interface DisplayMessage {
  data: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  /** Jupyter's display_id: a later message with `update` replaces the output in place. */
  displayId?: string;
  update?: boolean;
}

export type CommData = Record<string, unknown>;

/** One comm: messages both ways between an object here and one in the front end. */
export interface Comm {
  readonly id: string;
  readonly targetName: string;
  send(data: CommData, o?: { metadata?: Record<string, unknown>; buffers?: Uint8Array[] }): void;
  /** Closes it on both sides. */
  close(data?: CommData): void;
  /** Messages from the front end; a returned promise is awaited before the kernel reports idle. */
  onMessage(handler: (data: CommData, buffers: Uint8Array[]) => unknown): void;
  /** The front end closed it (or the kernel did). */
  onClose(handler: (data: CommData) => void): void;
}

export interface CommHost {
  /** Opens a comm to the front end's `target` (comm_open). */
  open(target: string, data: CommData, o?: { metadata?: Record<string, unknown>; buffers?: Uint8Array[] }): Comm;
  /** Accepts comms the front end opens to `target`; `handler` gets each new comm and its first data. */
  registerTarget(target: string, handler: (comm: Comm, data: CommData) => unknown): void;
  unregisterTarget(target: string): void;
}

export interface KernelHook {
  display(message: DisplayMessage): void;
  /** Asks the front end for a line of input (Jupyter's input_request). */
  input?(prompt: string, password: boolean): Promise<string>;
  /** Clears the current output (Jupyter's clear_output; `wait`: once the next output arrives). */
  clear?(wait: boolean): void;
  /** Comms to the front end, where the kernel has them. */
  comms?: CommHost;
  /** Runs a widget callback so that the kernel's interrupt can stop it, busy or not, as it stops a cell. */
  guard?<T>(f: () => T): T;
}

const KEY = Symbol.for('ednas.kernel');

export const kernelHook = (): KernelHook | undefined => (globalThis as Record<symbol, KernelHook | undefined>)[KEY];

export function installKernelHook(hook: KernelHook | undefined): void {
  (globalThis as Record<symbol, KernelHook | undefined>)[KEY] = hook;
}
