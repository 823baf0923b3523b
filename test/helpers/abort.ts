// Ctrl-C in a test: a run started with a signal that aborts as a given step's event arrives.
import assert from 'node:assert/strict';

interface Abortable {
  signal: AbortSignal;
  onEvent: (e: { step: number }) => void;
}

/** Starts `run` with a signal that aborts at the event of step `step`; `run` must reject with an AbortError. */
export async function assertAbortsAt(step: number, run: (o: Abortable) => Promise<unknown>): Promise<void> {
  const controller = new AbortController();
  const onEvent = (e: { step: number }) => {
    if (e.step === step) controller.abort();
  };
  await assert.rejects(run({ signal: controller.signal, onEvent }), { name: 'AbortError' });
}
