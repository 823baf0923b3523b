// The link between the library and a running notebook kernel: the kernel installs a hook through which
// rich outputs reach the notebook, and an AbortSignal that fires when the user interrupts the cell. Outside
// a kernel there is no hook and outputs fall back to text.
export interface DisplayMessage {
  data: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  /** Jupyter's display_id: a later message with `update` replaces the output in place. */
  displayId?: string;
  update?: boolean;
}

export interface KernelHook {
  display(message: DisplayMessage): void;
  /** Aborted when the current cell is interrupted. */
  readonly signal: AbortSignal;
}

const KEY = Symbol.for('ednas.kernel');

export const kernelHook = (): KernelHook | undefined => (globalThis as Record<symbol, KernelHook | undefined>)[KEY];

export function installKernelHook(hook: KernelHook | undefined): void {
  (globalThis as Record<symbol, KernelHook | undefined>)[KEY] = hook;
}

/** The signal long work stops on when the caller passed none: the kernel's interrupt, if any. */
export const interruptSignal = (): AbortSignal | undefined => kernelHook()?.signal;
