// The worker count W of a training command, decided here once and passed down to the trainers: --workers N,
// else EDNAS_WORKERS (how experiment trials are given theirs), else none: a resumed run keeps its own W, a
// new one takes the backend's default for its batches (backend/device.ts). Nothing below reads the variable.
import { numberOption, UsageError } from './args.ts';

/** W as the command decides it; undefined: the run's own (resume) or the backend's default. */
export function commandWorkers(
  flag: string | undefined,
  resume = false,
  env: NodeJS.ProcessEnv = process.env,
): number | undefined {
  const given = numberOption('workers', flag, { min: 1, integer: true });
  // A resumed run continues with the W it began with unless --workers names another (the same W repeats it).
  if (given !== undefined || resume) return given;
  const text = env.EDNAS_WORKERS?.trim();
  if (!text) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(
      `EDNAS_WORKERS=${text} is not a number of workers; use an integer >= 1 (1: no worker threads)`,
    );
  return n;
}
