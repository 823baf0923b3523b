// `ednas worker --queue URL`: takes trials of experiments from the Redis queue and runs them, until
// Ctrl-C or SIGTERM (then its trials stop at their next step and go back to the queue).
import { resolve } from 'node:path';
import { startWorker } from '../experiment/worker.ts';
import { numberOption, parseOptions, UsageError } from './args.ts';

export const WORKER_HELP =
  `Usage: ednas worker --queue redis://HOST:PORT [--concurrency N] ` +
  `[--runs DIR] [--data DIR] [--stalled-after S]

Takes trials of experiments (ednas experiment run FILE --queue URL, from any machine) from the queue on
Redis and runs each as an ednas search or evaluate process, with checkpoints; its progress goes to the
job, its results (tables, genotype, manifest, small models; no checkpoints) back to the submitting
machine. Run any number of workers on any number of machines with the same ednas version.

Options:
  --queue URL          the Redis every machine reaches (redis://HOST:PORT, rediss:// for TLS)
  --concurrency N      trials at once (default: one per core); each trial's training gets cores / N
                       threads (EDNAS_WORKERS)
  --runs DIR           a run root shared by every worker (NFS, a volume): a trial whose worker died
                       resumes from its last checkpoint on another; without it trials run in a private
                       temporary folder and such a trial starts again
  --data DIR           the data folder on this machine, instead of the experiment's
  --stalled-after S    seconds without a lock renewal before a trial counts as abandoned and goes to
                       another worker (default 60); every worker of a queue should use the same
  -h, --help           show this help

Ctrl-C or SIGTERM: running trials stop at their next step and go back to the queue.`;

export async function workerCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions('worker', argv, {
    queue: { type: 'string' },
    concurrency: { type: 'string' },
    runs: { type: 'string' },
    data: { type: 'string' },
    'stalled-after': { type: 'string' },
  });
  if (values.help) {
    console.log(WORKER_HELP);
    return 0;
  }
  if (values.queue === undefined || positionals.length)
    throw new UsageError("give --queue redis://HOST:PORT. Run 'ednas worker --help'.");
  const concurrency = numberOption('concurrency', values.concurrency, { min: 1, integer: true });
  const stalledAfterS = numberOption('stalled-after', values['stalled-after'], { min: 1 });
  const { poolSize } = await import('../experiment/local-pool.ts');
  const worker = await startWorker({
    url: values.queue,
    concurrency: concurrency ?? poolSize().concurrency,
    runs: values.runs && resolve(values.runs),
    data: values.data && resolve(values.data),
    stalledAfterS,
    log: (line) => console.log(line),
  });
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  console.log(`${worker.name} stopping ...`);
  const { requeued, lost } = await worker.stop();
  const back = requeued.length ? `; ${requeued.length} trial(s) went back to the queue (${requeued.join(', ')})` : '';
  console.log(`${worker.name} stopped${back}`);
  for (const t of lost) console.log(`trial ${t.trial} did not go back to the queue: ${t.why}`);
  return 0;
}
