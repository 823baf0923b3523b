// The on-disk cache of opt-in cells (`@cache`): a cell's key is a hash of its own code and the keys of the
// cells it reads (so of all the code upstream, value cells included); a hit returns the stored JSON value
// without running the cell. Cached values must be plain data.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.ts';

export class CellCache {
  constructor(readonly dir: string) {}

  private path(name: string, key: string): string {
    return join(this.dir, `${name}-${key.slice(0, 16)}.json`);
  }

  get(name: string, key: string): { hit: true; value: unknown } | { hit: false } {
    const p = this.path(name, key);
    if (!existsSync(p)) return { hit: false };
    return { hit: true, value: JSON.parse(readFileSync(p, 'utf8')).value };
  }

  /** Keys for every cell (see cellKeys). */
  keys(cells: { name: string; inputs: string[]; text: string }[]): Map<string, string> {
    return cellKeys(cells);
  }

  set(name: string, key: string, value: unknown): void {
    writeFileAtomic(this.path(name, key), JSON.stringify({ name, key, saved: new Date().toISOString(), value }));
  }
}

/** Keys for every cell from its code and its inputs' keys (unknown inputs, builtins, count by name). */
export function cellKeys(cells: { name: string; inputs: string[]; text: string }[]): Map<string, string> {
  const byName = new Map(cells.map((c) => [c.name, c]));
  const keys = new Map<string, string>();
  const visiting = new Set<string>();
  const key = (name: string): string => {
    const known = keys.get(name);
    if (known) return known;
    const cell = byName.get(name);
    if (!cell || visiting.has(name)) return `builtin:${name}`;
    visiting.add(name);
    const h = createHash('sha256').update(cell.text);
    for (const i of cell.inputs) h.update(`\0${key(i)}`);
    visiting.delete(name);
    const k = h.digest('hex');
    keys.set(name, k);
    return k;
  };
  for (const c of cells) key(c.name);
  return keys;
}
