// Writing a notebook's edited cells back into its file: only when the file is as it was when the notebook
// was opened (or last saved), never a text that does not parse, atomically. An outside change is refused
// with the edits kept in a file beside it, so nothing is lost either way.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../io/atomic.ts';
import { parseNotebook } from './parse.ts';

export const textHash = (text: string): string => createHash('sha256').update(text).digest('hex');

export class SaveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SaveError';
  }
}

/** `text` with every cell named in `cells` replaced by its new statement. */
function withCells(text: string, file: string, cells: ReadonlyMap<string, string>): string {
  const parsed = parseNotebook(text, file).cells.sort((a, b) => b.start - a.start);
  for (const c of parsed) {
    const edited = cells.get(c.name);
    if (edited !== undefined) text = text.slice(0, c.start) + edited + text.slice(c.end);
  }
  return text;
}

/**
 * Saves `cells` (name -> the cell's whole statement) into `file`, whose text had hash `expected`; returns
 * the new text's hash. Refuses when the file changed since, or when the result would not parse.
 */
export function saveNotebook(file: string, expected: string, cells: ReadonlyMap<string, string>): string {
  const current = readFileSync(file, 'utf8');
  if (textHash(current) !== expected) {
    const aside = `${file.replace(/\.ts$/, '')}.edited-${new Date().toISOString().replace(/[:.]/g, '-')}.ts`;
    let kept = '';
    try {
      writeFileAtomic(aside, `${[...cells.values()].join('\n\n')}\n`);
      kept = ` Your edited cells are kept in ${aside}.`;
    } catch {
      // The message still says why nothing was saved.
    }
    throw new SaveError(
      `${file} was changed outside this page since it was opened; not saved, so that change is not ` +
        `overwritten.${kept} Reload the page to work on the file as it is now.`,
    );
  }
  const text = withCells(current, file, cells);
  try {
    parseNotebook(text, file);
  } catch (e) {
    throw new SaveError(`not saved: with the edits ${file} would not be a valid notebook (${(e as Error).message}).`);
  }
  writeFileAtomic(file, text);
  return textHash(text);
}
