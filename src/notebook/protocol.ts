// The messages between a notebook's host (the server or script, which never runs cell code) and the worker
// thread that runs the cells, so a runaway cell can be stopped and the host stays alive and answering.
import type { CellView } from './view.ts';

export interface OpenOptions {
  file: string;
  cacheDir?: string | false;
  sets?: Map<string, unknown>;
  edits?: Map<string, string>;
  stopped?: Map<string, string>;
}

export type ToWorker =
  | ({ type: 'open' } & OpenOptions)
  | { type: 'redefine'; id: number; name: string; text: string }
  | { type: 'interrupt' };

export type FromWorker =
  | { type: 'opened'; intro: string; cells: CellView[]; idle: boolean }
  | { type: 'failed'; error: string }
  | { type: 'cells'; views: CellView[]; idle: boolean }
  | { type: 'reply'; id: number; error?: string }
  /** Cell code failed outside any cell's run: a rejected promise nothing awaited, an error in a timer. */
  | { type: 'problem'; message: string };
