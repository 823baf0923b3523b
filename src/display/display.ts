// Rich display for notebooks: `display(value)` shows a figure, table or genotype in the notebook (as text
// outside one), and `liveProgress()` turns the event stream of a search or training into one output that
// updates in place, not a thousand lines.
import { createInterface } from 'node:readline';
import { kernelHook, type Comm, type CommData } from './hook.ts';
import { mimeBundle, progressBundle, type ProgressEvent } from './mime.ts';

export type { ProgressEvent } from './mime.ts';

let displays = 0;

export interface DisplayHandle {
  /** Replaces the output in place with a new value. */
  update(value: unknown): void;
}

/** Shows `value` in the notebook now (like IPython's display); the handle updates that same output. */
export function display(value: unknown): DisplayHandle {
  const displayId = `ednas-${process.pid}-${++displays}`;
  const send = (v: unknown, update: boolean) => {
    const hook = kernelHook();
    const data = mimeBundle(v);
    if (hook) hook.display({ data, displayId, update });
    else console.log(String(data['text/plain']));
  };
  send(value, false);
  return { update: (v) => send(v, true) };
}

/** Clears the cell's output (at once, or with `wait` when the next output arrives, to avoid flicker). */
export function clearOutput(o: { wait?: boolean } = {}): void {
  kernelHook()?.clear?.(o.wait ?? false);
}

class NoCommsError extends Error {
  constructor(what: string) {
    super(`${what} needs a Jupyter kernel with comms (the EDNAS kernel); here there is none`);
    this.name = 'NoCommsError';
  }
}

/** Opens a comm to the front end's `target` (Jupyter's comm_open), for front-end extensions of your own. */
export function openComm(target: string, data: CommData = {}, o: { metadata?: Record<string, unknown> } = {}): Comm {
  const comms = kernelHook()?.comms;
  if (!comms) throw new NoCommsError('openComm()');
  return comms.open(target, data, o);
}

/** Accepts comms that the front end opens to `target`; `handler` gets each one with its first data. */
export function registerCommTarget(target: string, handler: (comm: Comm, data: CommData) => unknown): void {
  const comms = kernelHook()?.comms;
  if (!comms) throw new NoCommsError('registerCommTarget()');
  comms.registerTarget(target, handler);
}

/**
 * A line of input from the user, as Python's input(): in a notebook the front end asks for it (a password
 * is not shown); in a terminal it is read from standard input.
 */
export async function input(prompt = '', o: { password?: boolean } = {}): Promise<string> {
  const hook = kernelHook();
  if (hook?.input) return hook.input(prompt, o.password ?? false);
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: false });
  try {
    process.stdout.write(prompt);
    const line = await new Promise<string | undefined>((resolve) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(undefined));
    });
    if (line === undefined) throw new Error('input(): standard input ended before a line was read');
    return line;
  } finally {
    rl.close();
  }
}

/**
 * An `onEvent` callback that keeps one live progress output (updated at most every `intervalMs`, and at
 * every epoch end). In a terminal it prints a line per epoch.
 */
export function liveProgress(o: { epochs?: number; intervalMs?: number } = {}): (e: ProgressEvent) => void {
  const displayId = `ednas-progress-${process.pid}-${++displays}`;
  let last = 0;
  let started = false;
  return (e) => {
    const hook = kernelHook();
    const now = Date.now();
    const epochEnd = e.stage === 'epoch';
    if (!hook) {
      if (epochEnd) console.log(progressBundle(e, o.epochs)['text/plain']);
      return;
    }
    if (!epochEnd && started && now - last < (o.intervalMs ?? 250)) return;
    last = now;
    hook.display({ data: progressBundle(e, o.epochs), displayId, update: started });
    started = true;
  };
}
