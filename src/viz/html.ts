// Text into HTML or SVG (element content and attribute values alike), and tables as HTML with every
// string escaped (column names included: arquero's toHTML leaves those as they are).
import type { ColumnTable } from 'arquero';

export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const cell = (v: unknown): string =>
  v === null || v === undefined
    ? ''
    : v instanceof Date
      ? v.toISOString()
      : typeof v === 'object'
        ? JSON.stringify(v)
        : String(v);

/** An arquero table as an HTML table: names and values escaped, numbers right-aligned, at most `limit` rows. */
export function tableHtml(t: ColumnTable, o: { limit?: number } = {}): string {
  const names = t.columnNames();
  const total = t.numRows();
  const rows = t.objects({ limit: o.limit ?? Infinity }) as Record<string, unknown>[];
  const align = (n: string) => (typeof t.get(n, 0) === 'number' ? 'right' : 'left');
  const head = names.map((n) => `<th style="text-align: ${align(n)};">${escapeHtml(n)}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        `<tr>${names.map((n) => `<td style="text-align: ${align(n)};">${escapeHtml(cell(r[n]))}</td>`).join('')}</tr>`,
    )
    .join('');
  const more =
    rows.length < total
      ? `<caption style="caption-side: bottom; text-align: left;">${rows.length} of ${total} rows</caption>`
      : '';
  return `<table>${more}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}
