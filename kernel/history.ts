// The kernel's input history, as ipykernel answers history_request: `tail` (the last n), `range` (lines
// start..stop of a session; this kernel knows only its current one), `search` (a glob, optionally unique),
// each entry (session, line, input) or, with `output`, (session, line, [input, output]).
export type Entry = [number, number, string] | [number, number, [string, string | null]];

const SESSION = 1;

export class History {
  private readonly inputs: { line: number; code: string; output: string | null }[] = [];

  add(line: number, code: string): void {
    this.inputs.push({ line, code, output: null });
  }

  /** The text of the cell's result, for `output` requests. */
  setOutput(line: number, text: string): void {
    const entry = this.inputs.find((e) => e.line === line);
    if (entry) entry.output = text;
  }

  query(c: Record<string, unknown>): Entry[] {
    const entry = (e: { line: number; code: string; output: string | null }): Entry =>
      c.output ? [SESSION, e.line, [e.code, e.output]] : [SESSION, e.line, e.code];
    const n = Number.isFinite(Number(c.n)) ? Number(c.n) : 10;
    if (c.hist_access_type === 'search') {
      const glob = String(c.pattern ?? '*')
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.');
      const pattern = new RegExp(`^${glob}$`, 's');
      let found = this.inputs.filter((e) => pattern.test(e.code));
      if (c.unique) found = found.filter((e, k) => !found.slice(k + 1).some((later) => later.code === e.code));
      return found.slice(-n).map(entry);
    }
    if (c.hist_access_type === 'range') {
      const session = Number(c.session ?? 0);
      if (session !== 0 && session !== SESSION) return [];
      const start = Number(c.start ?? 0);
      const stop = c.stop === undefined || c.stop === null ? Infinity : Number(c.stop);
      return this.inputs.filter((e) => e.line >= start && e.line < stop).map(entry);
    }
    return this.inputs.slice(-n).map(entry);
  }
}
