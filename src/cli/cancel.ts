// Ctrl-C (SIGINT) or SIGTERM during a long command: the run stops between steps, its last checkpoint
// stays, and the user is told how to continue. Exit status 130, as for an interrupted command.
import type { ProgressBar } from './progress.ts';

export async function cancellable(
  bar: ProgressBar,
  resumeHint: string,
  run: (signal: AbortSignal) => Promise<number>,
): Promise<number> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  try {
    return await run(controller.signal);
  } catch (e) {
    bar.finish();
    if ((e as Error).name === 'AbortError') {
      console.error(`cancelled; ${resumeHint}`);
      return 130;
    }
    throw e;
  } finally {
    process.off('SIGINT', abort);
    process.off('SIGTERM', abort);
  }
}
