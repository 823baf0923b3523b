// An arquero table as aligned plain text, for terminals and logs.
import type { ColumnTable } from 'arquero';

export function textTable(dt: ColumnTable, digits = 4): string {
  const names = dt.columnNames();
  const cell = (v: unknown): string =>
    typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(digits) : String(v ?? '');
  const rows = (dt.objects() as Record<string, unknown>[]).map((r) => names.map((n) => cell(r[n])));
  const width = names.map((n, i) => Math.max(n.length, ...rows.map((r) => r[i].length)));
  const numeric = names.map((n) => typeof dt.get(n, 0) === 'number');
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(width[i]) : c.padEnd(width[i])))
      .join('  ')
      .trimEnd();
  return [line(names), line(width.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
