// What a page (or a script, or an exported file) shows of a cell: plain data that crosses from the process
// running the cells to the server: the cell's source and prose, its state, an input cell's control, and its
// output as a MIME bundle (figures as plotly data, drawn and redrawn in place on the page).
import { figureText, isFigure, mimeBundle } from '../display/mime.ts';
import type { InputSpec, InputValue, PickedFile } from './inputs.ts';
import { markdownHtml } from './markdown.ts';
import type { CellState, CellStatus } from './reactive.ts';

export interface CellView {
  name: string;
  inputs: string[];
  text: string;
  prose: string;
  /** The prose as HTML (escaped Markdown). */
  proseHtml: string;
  /** A `@cache` cell whose values are kept: the notebook has a cache. */
  cache: boolean;
  lazy: boolean;
  state: CellState;
  live: boolean;
  runs: number;
  /** Values a live cell has produced in its current run. */
  yields: number;
  cached?: 'hit' | 'stored';
  error?: string;
  /** An input cell's control and current value. */
  input?: InputSpec;
  output?: Record<string, unknown>;
}

/** A cell's view; `caching`: whether this notebook keeps `@cache` values (not with --no-cache, nor in a browser). */
export function cellView(c: CellStatus, caching: boolean): CellView {
  // A stale cell keeps showing its last value.
  const value = c.state === 'fulfilled' || c.state === 'stale' ? c.value : undefined;
  let output: Record<string, unknown> | undefined;
  if (c.state === 'fulfilled' || (c.state === 'stale' && c.ran && c.value !== undefined))
    output = isFigure(value) ? { plotly: value, 'text/plain': figureText(value) } : mimeBundle(value);
  return {
    name: c.name,
    inputs: c.source.inputs,
    text: c.source.text,
    prose: c.source.prose,
    proseHtml: markdownHtml(c.source.prose),
    cache: c.source.cache && caching,
    lazy: c.source.lazy,
    state: c.state,
    live: c.live,
    runs: c.runs,
    yields: c.yields,
    cached: c.cache,
    error: c.error,
    // Picked files are shown by name: their bytes stay where the cells run.
    input: c.input?.kind === 'file' ? { ...c.input, value: filesShown(c.input.value) } : c.input,
    output,
  };
}

const filesShown = (v: InputValue): string =>
  Array.isArray(v) ? v.map((f: PickedFile) => `${f.name} (${(f.bytes.length / 1e6).toFixed(1)} MB)`).join(', ') : '';
