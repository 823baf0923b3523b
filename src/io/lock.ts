// A folder held by one process: a lock file inside it names the holder (PID, host, start), made with
// link(2), which fails when the name exists, so two processes can never both make it. A lock whose holder
// is gone is taken over: on this host when its PID no longer runs (or runs another program: the start
// time differs, or the machine rebooted); from another host (a shared run root) when the holder has not
// refreshed it for STALE_MS. The holder's exit, however it ends short of kill -9, removes the file.
import {
  existsSync,
  linkSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { makeDir } from './atomic.ts';
import { describeFsError } from './fs-errors.ts';

/** The lock file of a folder held by a process. */
export const LOCK_FILE = 'lock.json';

/** How often a holder touches its lock, and how long another host's lock may go untouched before it is stale. */
const HEARTBEAT_MS = 15_000;
const STALE_MS = 120_000;

export interface LockHolder {
  pid: number;
  host: string;
  /** The kernel's boot id and the process's start time (clock ticks since boot): together with the PID, one process. */
  boot?: string;
  start?: string;
  command: string;
  since: string;
}

export class LockedError extends Error {
  constructor(
    message: string,
    readonly holder: LockHolder,
  ) {
    super(message);
    this.name = 'LockedError';
  }
}

const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** A process's start time, field 22 of /proc/PID/stat (after the command's closing parenthesis). */
const startOf = (pid: number): string | undefined => read(`/proc/${pid}/stat`)?.split(') ').at(-1)?.split(' ')[19];
const BOOT = read('/proc/sys/kernel/random/boot_id')?.trim();

function me(): LockHolder {
  return {
    pid: process.pid,
    host: hostname(),
    boot: BOOT,
    start: startOf(process.pid),
    command: process.argv.slice(1).join(' ').slice(0, 300),
    since: new Date().toISOString(),
  };
}

function parse(text: string | undefined): LockHolder | undefined {
  try {
    const h = JSON.parse(text ?? '') as LockHolder;
    return typeof h.pid === 'number' && typeof h.host === 'string' ? h : undefined;
  } catch {
    return undefined;
  }
}

/** Why the lock at `path` (held by `h`, or unreadable) no longer holds; undefined while its holder lives. */
function staleness(path: string, h: LockHolder | undefined): string | undefined {
  const age = () => Date.now() - statSync(path).mtimeMs;
  // Torn or foreign content: a holder writes its lock whole before linking it, so this is no live lock.
  if (!h) return 'unreadable';
  if (h.host !== hostname()) {
    return age() > STALE_MS ? `not refreshed by ${h.host} for ${Math.round(age() / 1000)} s` : undefined;
  }
  if (h.boot && BOOT && h.boot !== BOOT) return 'the machine rebooted since';
  try {
    process.kill(h.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return `process ${h.pid} is gone`;
  }
  const start = startOf(h.pid);
  if (h.start && start && start !== h.start) return `process ${h.pid} is another program now`;
  return undefined;
}

/**
 * Takes the lock file `path` for this process, or throws a LockedError naming the holder; `what` names
 * the folder in that message. Returns the release (also run at this process's exit).
 */
export function takeLock(path: string, what: string): () => void {
  const mine = me();
  const text = `${JSON.stringify(mine, null, 2)}\n`;
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  try {
    for (let tries = 0; ; tries++) {
      try {
        linkSync(tmp, path);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || tries >= 3) throw e;
      }
      const found = read(path);
      if (found === undefined) continue; // released meanwhile
      const holder = parse(found);
      const stale = staleness(path, holder);
      if (!stale) {
        const h = holder!;
        throw new LockedError(
          `${what} is in use by process ${h.pid} on ${h.host} since ${h.since} (${h.command}); ` +
            `wait for it to end, or stop it. If that process is gone, remove ${path}.`,
          h,
        );
      }
      // Moved aside, then checked: what was moved must be the stale lock just read, not a newer taker's.
      const aside = `${path}.stale-${process.pid}`;
      renameSync(path, aside);
      if (read(aside) !== found) {
        try {
          linkSync(aside, path);
        } catch {
          /* a third process holds it now: the next try says so */
        }
      }
      rmSync(aside, { force: true });
    }
  } finally {
    rmSync(tmp, { force: true });
  }
  const beat = setInterval(() => {
    const now = new Date();
    try {
      utimesSync(path, now, now);
    } catch {
      /* removed by hand: nothing to refresh */
    }
  }, HEARTBEAT_MS);
  beat.unref();
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    clearInterval(beat);
    process.off('exit', release);
    if (read(path) === text) rmSync(path, { force: true });
  };
  process.on('exit', release);
  return release;
}

/**
 * Holds the folder `dir` (made if missing) for this process until the returned release, through
 * `dir/lock.json`; `what` names it in messages. The release removes a folder the lock made that stayed empty.
 */
export function lockFolder(dir: string, what: string): () => void {
  const made = !existsSync(dir);
  let release: () => void;
  try {
    makeDir(dir);
    release = takeLock(join(dir, LOCK_FILE), what);
  } catch (e) {
    if (e instanceof LockedError) throw e;
    throw describeFsError(e, `cannot lock ${what}`);
  }
  return () => {
    release();
    try {
      if (made && readdirSync(dir).length === 0) rmdirSync(dir);
    } catch {
      // removed or filled meanwhile: it stays as it is
    }
  };
}
