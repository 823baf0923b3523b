// Atomic writes: a file or folder is written under a temporary name (`<name>.tmp-<pid>`) and renamed into
// place, so a crash leaves either the old version or the new one, never a torn one. What a crashed
// process leaves behind is found and removed by the next one.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, type Stats, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describeFsError, FsError } from './fs-errors.ts';

const TEMPORARY = /\.tmp-(\d+)$/;

/**
 * mkdir -p whose errors say why: Node's recursive mkdir reports ENOENT where the file system refused (a
 * read-only one, say), so the first missing folder is made on its own and its own error is kept.
 */
export function makeDir(path: string): void {
  if (existsSync(path)) return;
  const parent = dirname(path);
  if (parent !== path) makeDir(parent);
  try {
    mkdirSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
}

/** What a path that exists holds when it is not a regular file, in words; undefined for a file or nothing. */
function special(path: string): string | undefined {
  let s: Stats;
  try {
    s = statSync(path);
  } catch {
    return undefined;
  }
  if (s.isFile()) return undefined;
  if (s.isDirectory()) return 'a directory';
  return s.isCharacterDevice()
    ? 'a character device'
    : s.isBlockDevice()
      ? 'a block device'
      : s.isFIFO()
        ? 'a named pipe (FIFO)'
        : s.isSocket()
          ? 'a socket'
          : 'not a regular file';
}

/**
 * Writes `path` whole or not at all. A target that exists and is not a regular file (a device such as
 * /dev/null, a pipe, a socket, a folder) is refused untouched: the rename would replace it by a file.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const kind = special(path);
  if (kind) {
    const fix = 'give the path of a file to write';
    throw new FsError(`cannot write ${path}: it is ${kind}, not a regular file; ${fix}`, 'ENOTREG');
  }
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    makeDir(dirname(path));
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw describeFsError(e, `cannot write ${path}`);
  }
}

/** Fills a fresh folder through `write`, then swaps it in for `path` (the old one is kept as `path.old` until the swap
 * is done).
 */
export function replaceDirAtomic(path: string, write: (dir: string) => void): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    rmSync(tmp, { recursive: true, force: true });
    makeDir(tmp);
    write(tmp);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw describeFsError(e, `cannot write ${path}`);
  }
  const old = `${path}.old`;
  rmSync(old, { recursive: true, force: true });
  if (existsSync(path)) renameSync(path, old);
  renameSync(tmp, path);
  rmSync(old, { recursive: true, force: true });
}

/** Whether a process with this id is running (a temporary of a running process is its work in progress). */
function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The temporaries in `dir` that processes no longer running left behind. */
export const staleTemporaries = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((n) => {
          const m = TEMPORARY.exec(n);
          return m !== null && !alive(Number(m[1]));
        })
        .map((n) => join(dir, n))
    : [];

export function removeStaleTemporaries(dir: string): void {
  for (const path of staleTemporaries(dir)) rmSync(path, { recursive: true, force: true });
}
