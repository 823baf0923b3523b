// The process that runs a notebook's cells (see host.ts): it opens the notebook file's session and serves
// the host's messages (worker-loop.ts). Errors of cell code outside a cell's run are reported instead of
// ending the process. When the host goes, it ends, with every process its cells started (its group).
import '../backend/preload.ts';
import { NotebookSession } from './session.ts';
import type { FromWorker, ToWorker } from './protocol.ts';
import { serveCells } from './worker-loop.ts';

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

const cells = serveCells(send, (o) => NotebookSession.open(o.file, o));
process.on('message', (m: ToWorker) => void cells.receive(m));
