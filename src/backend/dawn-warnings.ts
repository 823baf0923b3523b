// Dawn prints a warning line on stderr for each limit it lowers while it enumerates the adapters (on
// Mesa's lavapipe: "maxDynamicUniformBuffersPerPipelineLayout artificially reduced from 1000000 to 16 ...").
// They come from native code, past process.stderr, and nothing can be set before enumeration to avoid
// them. So while the adapter is requested, descriptor 2 points at a temporary file; afterwards stderr
// is put back and every other line written meanwhile is passed on.
import { closeSync, existsSync, fstatSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Dawn's lowered-limit warnings, with the source location line Dawn may print under each. */
const LOWERED = /^Warning: \w+ artificially reduced from .*\n(?: {4}at .*\n)?/gm;

/** `text` without Dawn's lowered-limit warnings. */
export const dropDawnWarnings = (text: string): string => text.replace(LOWERED, '');

/**
 * How descriptor 2 can be swapped and put back without harm, on Linux (reopened through /proc): 'alone', or
 * 'shared' for a regular file that stdout shares without O_APPEND (`> log 2>&1`): a reopened descriptor
 * would not share its offset and one stream would overwrite the other, so both are put back appending, as
 * `>> log 2>&1` writes. Sockets cannot be reopened (a Node parent's pipes): 'no'.
 */
function swappable(): 'alone' | 'shared' | 'no' {
  if (process.platform !== 'linux' || !existsSync('/proc/self/fdinfo/2')) return 'no';
  try {
    const err = fstatSync(2);
    if (err.isSocket()) return 'no';
    if (!err.isFile()) return 'alone';
    const out = fstatSync(1);
    const flags = /^flags:\s+([0-7]+)/m.exec(readFileSync('/proc/self/fdinfo/2', 'utf8'))?.[1];
    const append = flags !== undefined && (parseInt(flags, 8) & 0o2000) !== 0;
    if (append || !(out.dev === err.dev && out.ino === err.ino)) return 'alone';
    fstatSync(0); // descriptor 0 open, so that reopening stdout lands on 1
    return 'shared';
  } catch {
    return 'no';
  }
}

/** Reopens `saved` (a descriptor of the same file) appending on descriptor `fd`, which must be free. */
function reopenOn(fd: number, saved: number): boolean {
  const got = openSync(`/proc/self/fd/${saved}`, 'a');
  if (got === fd) return true;
  closeSync(got);
  return false;
}

/** Runs `fn` with Dawn's lowered-limit warnings kept off stderr; any other output there is kept. */
export async function withoutDawnWarnings<T>(fn: () => Promise<T>): Promise<T> {
  const how = swappable();
  if (how === 'no') return fn();
  let saved: number;
  try {
    saved = openSync('/proc/self/fd/2', 'a');
  } catch {
    return fn();
  }
  const dir = mkdtempSync(join(tmpdir(), 'ednas-dawn-'));
  const file = join(dir, 'stderr.txt');
  closeSync(2);
  // open() takes the lowest free descriptor: 2, unless a thread opened a file in between.
  const fd = openSync(file, 'w+');
  const restore = () => {
    closeSync(2);
    reopenOn(2, saved); // back on descriptor 2
    // stdout shares the file: it appends too, so neither overwrites the other.
    if (how === 'shared') {
      closeSync(1);
      reopenOn(1, saved);
    }
    closeSync(saved);
  };
  if (fd !== 2) {
    // Another thread's file took descriptor 2: give back ours and stderr as well as can be.
    closeSync(fd);
    openSync(`/proc/self/fd/${saved}`, 'a');
    closeSync(saved);
    rmSync(dir, { recursive: true, force: true });
    return fn();
  }
  try {
    return await fn();
  } finally {
    restore();
    const kept = dropDawnWarnings(readFileSync(file, 'utf8'));
    rmSync(dir, { recursive: true, force: true });
    if (kept) process.stderr.write(kept);
  }
}
