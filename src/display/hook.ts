// The link between the library and a running notebook kernel: the kernel installs a hook through which
// rich outputs reach the notebook (its interrupt signal is the training contract's, train/trainer.ts).
// Outside a kernel there is no hook and outputs fall back to text.
export interface DisplayMessage {
  data: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  /** Jupyter's display_id: a later message with `update` replaces the output in place. */
  displayId?: string;
  update?: boolean;
}

export interface KernelHook {
  display(message: DisplayMessage): void;
  /** Asks the front end for a line of input (Jupyter's input_request). */
  input?(prompt: string, password: boolean): Promise<string>;
}

const KEY = Symbol.for('ednas.kernel');

export const kernelHook = (): KernelHook | undefined => (globalThis as Record<symbol, KernelHook | undefined>)[KEY];

export function installKernelHook(hook: KernelHook | undefined): void {
  (globalThis as Record<symbol, KernelHook | undefined>)[KEY] = hook;
}
