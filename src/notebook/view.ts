// What a page (or a script) shows of a cell: plain data that crosses from the process running the cells to
// the server: the cell's source and prose, its state, and its output as a MIME bundle (figures as plotly
// data, drawn and redrawn in place on the page).
import { figureText, isFigure, mimeBundle } from '../display/mime.ts';
import type { CellState, CellStatus } from './session.ts';

export interface CellView {
  name: string;
  inputs: string[];
  text: string;
  prose: string;
  cache: boolean;
  state: CellState;
  live: boolean;
  runs: number;
  cached?: 'hit' | 'stored';
  error?: string;
  output?: Record<string, unknown>;
}

export function cellView(c: CellStatus): CellView {
  const value = c.state === 'fulfilled' ? c.value : undefined;
  let output: Record<string, unknown> | undefined;
  if (c.state === 'fulfilled') output = isFigure(value) ? { plotly: value, 'text/plain': figureText(value) } : mimeBundle(value);
  return {
    name: c.name, inputs: c.source.inputs, text: c.source.text, prose: c.source.prose, cache: c.source.cache,
    state: c.state, live: c.live, runs: c.runs, cached: c.cache, error: c.error, output,
  };
}
