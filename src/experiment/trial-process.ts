// A trial is one `ednas search` or `ednas evaluate` process (bin/ednas.js), not a call in this process:
// a crash or an out-of-memory end takes one trial down and not the pool or the worker, TensorFlow.js'
// memory (the wasm heap never shrinks) is given back when the trial ends, each trial gets its own
// thread count (EDNAS_WORKERS), and a trial is exactly the command a user would run, resumable the same
// way. The cost is a few seconds to start each process. Progress comes over the IPC channel.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PACKAGE_ROOT } from '../data/locate.ts';
import { makeDir, writeFileAtomic } from '../io/atomic.ts';
import { RunDir } from '../rundir/run-dir.ts';
import type { TrialSpec } from './expand.ts';
import { isTrialProgress, type TrialProgress } from './progress.ts';

const BIN = join(PACKAGE_ROOT, 'bin', 'ednas.js');
/** After Ctrl-C a trial stops at its next step; one that does not within this time is killed. */
const STOP_GRACE_MS = 60_000;

export interface TrialRun {
  trial: TrialSpec;
  /** Its run directory. */
  dir: string;
  /** Evaluations: where the genotype is written for the process (outside the run directory). */
  genotypeFile?: string;
  /** The data folder, resolved; undefined: the task's default. */
  data?: string;
  /** Threads of the trial's training (EDNAS_WORKERS). */
  threads: number;
  log: string;
  signal?: AbortSignal;
  onProgress?: (p: TrialProgress) => void;
}

export interface TrialExit {
  ok: boolean;
  /** Stopped by the signal (Ctrl-C): its checkpoint stays and it resumes. */
  cancelled: boolean;
  /** Continued from a checkpoint, not started afresh. */
  resumed: boolean;
  /** The error the process gave, in its words. */
  message?: string;
}

/** The command line of a trial (without `node bin/ednas.js`). */
export function trialArgs(r: Pick<TrialRun, 'trial' | 'dir' | 'genotypeFile' | 'data'>, resume: boolean): string[] {
  const t = r.trial;
  const args = [
    t.kind,
    '--preset',
    t.preset,
    '--seed',
    String(t.seed),
    ...t.sets.flatMap((s) => ['--set', s]),
    '--out',
    r.dir,
  ];
  if (t.kind === 'evaluate') args.push('--genotype', r.genotypeFile!);
  if (r.data) args.push('--data', r.data);
  if (resume) args.push('--resume');
  return args;
}

/** The last error line a command printed ("ednas search: ..."), else its last line. */
function lastError(log: string, from: number): string | undefined {
  const lines = readFileSync(log)
    .subarray(from)
    .toString('utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return [...lines].reverse().find((l) => /^ednas \w+: /.test(l)) ?? lines.at(-1);
}

/**
 * Runs the trial in its run directory: resumed from the checkpoint when the directory holds a run (a
 * stopped trial, or one whose worker died with a shared run root), else from the start; a run that has
 * finished is left as it is.
 */
export async function runTrialProcess(r: TrialRun): Promise<TrialExit> {
  const run = new RunDir(r.dir);
  const resume = run.has('manifest.json');
  if (resume && run.manifest().status === 'finished') return { ok: true, cancelled: false, resumed: false };
  // A folder without a manifest is not removed: it may not be ours. What a crashed trial leaves before its
  // manifest (atomic writes' temporaries) the trial's own command clears; anything else it refuses.
  if (r.trial.kind === 'evaluate') {
    if (!r.trial.genotype?.json || !r.genotypeFile) throw new Error(`trial ${r.trial.id} has no genotype to train`);
    writeFileAtomic(r.genotypeFile, r.trial.genotype.json);
  }
  r.signal?.throwIfAborted();
  const args = trialArgs(r, resume);
  makeDir(dirname(r.log));
  const fd = openSync(r.log, 'a');
  const start = readFileSync(r.log).length;
  writeSync(fd, `--- ${new Date().toISOString()} ednas ${args.join(' ')} (EDNAS_WORKERS=${r.threads})\n`);
  try {
    // Its own process group: Ctrl-C in a terminal reaches the pool or worker, which stops each trial once.
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: PACKAGE_ROOT,
      stdio: ['ignore', fd, fd, 'ipc'],
      detached: true,
      env: { ...process.env, EDNAS_WORKERS: String(r.threads) },
    });
    child.on('message', (m) => {
      if (isTrialProgress(m)) r.onProgress?.(m);
    });
    let killer: NodeJS.Timeout | undefined;
    const stop = () => {
      child.kill('SIGINT');
      killer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    };
    r.signal?.addEventListener('abort', stop, { once: true });
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done, fail) => {
      child.once('error', fail);
      child.once('exit', (c, s) => done([c, s]));
    });
    clearTimeout(killer);
    r.signal?.removeEventListener('abort', stop);
    const cancelled = r.signal?.aborted === true && code !== 0;
    if (code === 0) return { ok: true, cancelled: false, resumed: resume };
    const message = cancelled
      ? 'cancelled'
      : `${lastError(r.log, start) ?? 'no output'} (exit ${code ?? signal}; log: ${r.log})`;
    return { ok: false, cancelled, resumed: resume, message };
  } finally {
    closeSync(fd);
  }
}
