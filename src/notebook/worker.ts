// The process that runs a notebook's cells (see host.ts): it opens the session, passes every cell's view
// to the host (coalesced, a few times a second), and takes the actions of actions.ts (edits, input values,
// runs, lazy mode) and interrupts. Errors of cell code outside a cell's run are reported instead of
// ending the process. When the host goes, it ends, with every process its cells started (its group).
import '../backend/preload.ts';
import { NotebookSession, type CellStatus } from './session.ts';
import { cellView } from './view.ts';
import type { FromWorker, ToWorker } from './protocol.ts';
import { actionNamed } from './actions.ts';

const send = (m: FromWorker) => process.send!(m);
process.on('disconnect', () => {
  try {
    process.kill(-process.pid, 'SIGKILL');
  } finally {
    process.exit(0);
  }
});
const describe = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

process.on('unhandledRejection', (r) =>
  send({ type: 'problem', message: `a promise was rejected and nothing awaited it: ${describe(r)}` }),
);
process.on('uncaughtException', (e) =>
  send({ type: 'problem', message: `an error outside any cell's run: ${describe(e)}` }),
);

let session: NotebookSession | undefined;
const pending = new Map<string, CellStatus>();
const sentState = new Map<string, string>();
let flush: NodeJS.Timeout | undefined;

function sendPending(): void {
  clearTimeout(flush);
  flush = undefined;
  const views = [...pending.values()].map(cellView);
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

process.on('message', async (m: ToWorker) => {
  if (m.type === 'open') {
    try {
      session = await NotebookSession.open(m.file, m);
      session.on('change', changed);
      send({
        type: 'opened',
        intro: session.intro,
        cells: [...session.cells.values()].map(cellView),
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
      send({ type: 'reply', id: m.id });
    } catch (e) {
      send({ type: 'reply', id: m.id, error: (e as Error).message });
    }
  }
});
