// The limits of the process that runs a notebook's cells: the memory it may take (its V8 heap through
// --max-old-space-size; its resident memory, ArrayBuffers included, read from /proc by the host), and
// how it and everything its cells started are ended together (its process group).
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';

/** The limit in MB: the one given, else EDNAS_NOTEBOOK_MEMORY_MB, else 3/4 of the memory this process may use. */
export function workerMemoryLimitMb(given?: number): number {
  const env = process.env.EDNAS_NOTEBOOK_MEMORY_MB;
  const value = given ?? (env ? Number(env) : undefined);
  if (value !== undefined) {
    if (!Number.isFinite(value) || value < 64) {
      throw new Error(
        `the notebook's memory limit must be a number of MB >= 64, got ${given ?? `EDNAS_NOTEBOOK_MEMORY_MB=${env}`}`,
      );
    }
    return Math.floor(value);
  }
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.() || 0;
  const total = constrained > 0 ? Math.min(constrained, totalmem()) : totalmem();
  return Math.floor((total * 0.75) / 2 ** 20);
}

/** The heap flag for a limit: the V8 heap never past it, nor past the heap Node would give by default. */
export const heapFlag = (limitMb: number): string =>
  `--max-old-space-size=${Math.max(32, Math.min(limitMb, Math.floor(getHeapStatistics().heap_size_limit / 2 ** 20)))}`;

/** The resident memory (MB) of a process (VmRSS in Linux' /proc); undefined where it cannot be read. */
export function residentMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb ? Number(kb[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** SIGKILL to the worker's process group: the worker and every process its cells started (and did not detach). */
export function killGroup(worker: ChildProcess): void {
  if (worker.pid === undefined) return;
  try {
    process.kill(-worker.pid, 'SIGKILL');
  } catch {
    // The group is gone already.
  }
}
