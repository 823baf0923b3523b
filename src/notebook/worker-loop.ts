// What a process that runs a notebook's cells does with the host's messages, in Node (worker.ts, a child
// process) and in a browser (browser/worker.ts, a Web Worker) alike: it opens the notebook, passes every
// cell's view to the host (a state change at once, a live cell's new values a few times a second), and
// takes the actions of actions.ts (edits, input values, runs, lazy mode) and interrupts.
import type { ReactiveNotebook, CellStatus } from './reactive.ts';
import { cellView } from './view.ts';
import type { FromWorker, OpenOptions, ToWorker } from './protocol.ts';
import { actionNamed, type ActionName } from './actions.ts';

export interface CellServer {
  /** Takes one message of the host. */
  receive(m: ToWorker): Promise<void>;
}

/**
 * Serves the host's messages: `open` makes the notebook of an open message; `done` hears of each action
 * done (the browser's worker keeps what a restart needs).
 */
export function serveCells(
  send: (m: FromWorker) => void,
  open: (o: OpenOptions) => Promise<ReactiveNotebook>,
  done?: (action: ActionName, payload: unknown) => void,
): CellServer {
  let session: ReactiveNotebook | undefined;
  const pending = new Map<string, CellStatus>();
  const sentState = new Map<string, string>();
  let flush: ReturnType<typeof setTimeout> | undefined;
  const view = (c: CellStatus) => cellView(c, Boolean(session?.cache));

  function sendPending(): void {
    clearTimeout(flush);
    flush = undefined;
    const views = [...pending.values()].map(view);
    pending.clear();
    for (const v of views) sentState.set(v.name, `${v.state}/${v.live}`);
    send({ type: 'cells', views, idle: session?.idle ?? false });
  }

  /**
   * A cell's change reaches the host at once when its state changes (a cell that starts running and then
   * never yields is known to be running); new values of a live cell, a few times a second.
   */
  function changed(c: CellStatus): void {
    pending.set(c.name, c);
    if (sentState.get(c.name) !== `${c.state}/${c.live}`) sendPending();
    else flush ??= setTimeout(sendPending, 100);
  }

  return {
    async receive(m: ToWorker): Promise<void> {
      if (m.type === 'open') {
        try {
          session = await open(m);
          session.on('change', changed);
          send({
            type: 'opened',
            intro: session.intro,
            cells: [...session.cells.values()].map(view),
            idle: session.idle,
          });
        } catch (e) {
          send({ type: 'failed', error: (e as Error).message });
        }
      } else if (m.type === 'interrupt') {
        session?.interrupt();
      } else {
        try {
          if (!session) throw new Error('the notebook is not open');
          actionNamed(m.action)!.run(session, m.payload);
          done?.(m.action, m.payload);
          send({ type: 'reply', id: m.id });
        } catch (e) {
          send({ type: 'reply', id: m.id, error: (e as Error).message });
        }
      }
    },
  };
}
