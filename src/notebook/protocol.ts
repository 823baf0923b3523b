// The messages between a notebook's host (the server or script, which never runs cell code) and the worker
// process that runs the cells, so a runaway cell can be stopped and the host stays alive and answering.
import type { ActionName, ActionPayload, KeptState } from './actions.ts';
import type { CellView } from './view.ts';

export interface OpenOptions {
  file: string;
  cacheDir?: string | false;
  sets?: Map<string, unknown>;
  /** `--set NAME=VALUE` as typed: input cells parse it by their kind. */
  rawSets?: Map<string, string>;
  edits?: Map<string, string>;
  stopped?: Map<string, string>;
  /** Honour `@lazy` (the page); lazyAll: every computed cell waits to be run. */
  lazy?: boolean;
  lazyAll?: boolean;
}

/** An action of the table (actions.ts) for the worker, answered by a `reply` of the same id. */
export type ActionRequest = { [N in ActionName]: { type: 'act'; action: N; payload: ActionPayload<N> } }[ActionName];

export type ToWorker = ({ type: 'open' } & OpenOptions) | (ActionRequest & { id: number }) | { type: 'interrupt' };

export type FromWorker =
  | { type: 'opened'; intro: string; cells: CellView[]; idle: boolean }
  | { type: 'failed'; error: string }
  | { type: 'cells'; views: CellView[]; idle: boolean }
  | { type: 'reply'; id: number; error?: string }
  /**
   * Cell code failed outside any cell's run (a rejected promise nothing awaited, an error in a timer), or a
   * live export's link sets what the notebook cannot take (`once`: said again at each restart, shown once).
   */
  | { type: 'problem'; message: string; once?: boolean }
  /** What a restart needs, after each action (a browser's worker: the page is its host and keeps it). */
  | { type: 'kept'; state: KeptState };
