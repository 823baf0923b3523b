// `ednas` commands as real child processes for end-to-end tests: started with their output collected,
// killed (SIGKILL) when the test file ends if they still run; and a wait for a condition, with a limit.
import { spawn, type ChildProcess } from 'node:child_process';
import { after } from 'node:test';

const BIN = new URL('../../bin/ednas.js', import.meta.url).pathname;
const spawned: ChildProcess[] = [];
after(() => {
  for (const c of spawned) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

export interface EdnasProcess {
  child: ChildProcess;
  /** Its exit code (null: ended by a signal). */
  exit: Promise<number | null>;
  /** stdout and stderr so far, interleaved. */
  output(): string;
}

export function startEdnas(args: string[]): EdnasProcess {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  spawned.push(child);
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, exit, output: () => out };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `f`'s first truthy value, polled every 50 ms; an error naming `what` after `timeoutMs`. */
export async function until<T>(what: string, f: () => T | undefined | false, timeoutMs = 90_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** The exit code, or 'still running' when the process has not ended within `ms`. */
export const exitWithin = (p: EdnasProcess, ms: number): Promise<number | null | 'still running'> =>
  Promise.race([p.exit, sleep(ms).then(() => 'still running' as const)]);

/** The page address `ednas notebook` prints (with its token); an error with its output when it ends first. */
export async function notebookPageUrl(p: EdnasProcess, timeoutMs = 300_000): Promise<string> {
  let ended = false;
  void p.exit.then(() => {
    ended = true;
  });
  const page = /notebook page: (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/;
  const url = await until('the notebook page', () => (ended ? 'ended' : page.exec(p.output())?.[1]), timeoutMs);
  if (url === 'ended') throw new Error(`ednas notebook exited (${p.child.exitCode}): ${p.output()}`);
  return url;
}
