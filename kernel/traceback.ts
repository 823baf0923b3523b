// Tracebacks as ipykernel prints them: a red rule and the error's name, then the frames from the outermost
// (most recent call last), each a cell's line with its neighbours or a library file's line, then
// `Name: message`. Positions are the cell's own (through the cell's source map); frames of node, tslab, the
// kernel and other packages are left out.
import type { SourceMap } from 'node:module';
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROJECT_ROOT } from './types.ts';

export interface CellError {
  ename: string;
  evalue: string;
  traceback: string[];
}

export interface CellSource {
  /** The prompt's label, `In[3]`. */
  label: string;
  source: string;
  map?: SourceMap;
}

const RED = '\x1b[31m';
const GREEN = '\x1b[32m';
const CYAN = '\x1b[36m';
const OFF = '\x1b[39m';

export const header = (ename: string): string[] => [
  `${RED}${'-'.repeat(75)}${OFF}`,
  `${RED}${ename.padEnd(42)}${OFF}Traceback (most recent call last)`,
];

export const footer = (ename: string, evalue: string): string => `${RED}${ename}${OFF}: ${evalue}`;

/** A cell's line (1-based) with two lines of context, the line itself marked as IPython marks it. */
export function cellFrame(cell: CellSource, line: number, column?: number, fn?: string): string {
  const lines = cell.source.split('\n');
  const where =
    `Cell ${GREEN}${cell.label}${OFF}, line ${GREEN}${line}${OFF}` +
    (column ? `, column ${GREEN}${column}${OFF}` : '') +
    (fn ? `, in ${CYAN}${fn}${OFF}` : '');
  const out = [where];
  const width = String(Math.min(lines.length, line + 2)).length;
  for (let l = Math.max(1, line - 2); l <= Math.min(lines.length, line + 2); l++) {
    const no = String(l).padStart(width);
    out.push(l === line ? `${GREEN}----> ${no}${OFF} ${lines[l - 1]}` : `      ${no} ${lines[l - 1]}`);
    if (l === line && column) out.push(`${' '.repeat(6 + width + column)}${RED}^${OFF}`);
  }
  return out.join('\n');
}

const FRAME = /^\s*at (?:async )?(?:(.*?) \()?(.*?):(\d+):(\d+)\)?$/;
const SRC = PROJECT_ROOT.endsWith(sep) ? `${PROJECT_ROOT}src${sep}` : `${PROJECT_ROOT}${sep}src${sep}`;

/** A file outside node, tslab, tsx, the kernel and other packages: the library's or the user's own. */
function shownFile(file: string): string | undefined {
  const path = file.startsWith('file://') ? fileURLToPath(file) : file;
  if (!path.startsWith('/') || path.includes(`${sep}node_modules${sep}`)) return undefined;
  if (path.startsWith(SRC)) return relative(PROJECT_ROOT, path);
  if (path.startsWith(PROJECT_ROOT)) return undefined;
  return path;
}

/**
 * The frames of a V8 stack that belong to cells or to user and library files, outermost first. What called
 * the outermost cell frame (the kernel) is left out.
 */
export function frames(stack: string, cells: Map<string, CellSource>): string[] {
  const out: { text: string; cell: boolean }[] = [];
  for (const text of stack.split('\n')) {
    const m = FRAME.exec(text);
    if (!m) continue;
    const [, fn0, file, line, col] = m;
    const fn = fn0 && !/^(?:Object\.)?<anonymous>$/.test(fn0) ? fn0 : undefined;
    const cell = cells.get(file);
    if (cell) {
      const e = cell.map?.findEntry(Number(line) - 1, Number(col) - 1) as
        | { originalLine?: number; originalColumn?: number }
        | undefined;
      // The line past the cell's end is the kernel's call of the cell, not the user's code.
      if (e?.originalLine === undefined || e.originalLine >= cell.source.split('\n').length) continue;
      out.push({ text: cellFrame(cell, e.originalLine + 1, e.originalColumn! + 1, fn), cell: true });
      continue;
    }
    const shown = shownFile(file);
    if (shown)
      out.push({
        text: `File ${GREEN}${shown}:${line}:${col}${OFF}${fn ? `, in ${CYAN}${fn}${OFF}` : ''}`,
        cell: false,
      });
  }
  let outermost = out.length - 1;
  while (outermost >= 0 && !out[outermost].cell) outermost--;
  return (outermost >= 0 ? out.slice(0, outermost + 1) : out).map((f) => f.text).reverse();
}

/** A thrown value as a Jupyter error: name, message, and the traceback. */
export function errorOf(thrown: unknown, cells: Map<string, CellSource>): CellError {
  if (!(thrown instanceof Error)) {
    const evalue = typeof thrown === 'string' ? thrown : (JSON.stringify(thrown) ?? String(thrown));
    return {
      ename: 'Error',
      evalue: `a cell threw ${evalue} (not an Error)`,
      traceback: [...header('Error'), footer('Error', evalue)],
    };
  }
  const ename = thrown.name || 'Error';
  const evalue = thrown.message;
  return { ename, evalue, traceback: [...header(ename), ...frames(thrown.stack ?? '', cells), footer(ename, evalue)] };
}

/** A KeyboardInterrupt at the cell's line, as ipykernel reports one. */
export function interruptError(cell: CellSource | undefined, line: number): CellError {
  const at = cell && line > 0 ? [cellFrame(cell, line)] : [];
  return {
    ename: 'KeyboardInterrupt',
    evalue: '',
    traceback: [...header('KeyboardInterrupt'), ...at, footer('KeyboardInterrupt', '')],
  };
}
