// A probability heatmap as a standalone SVG (rows x columns, each cell coloured on viridis and labelled
// with its value): drawn without plotly, so it shows wherever HTML does: in a widget, in saved widget
// state, in a page without scripts. Blank cells (null) are inputs a node cannot take.
import { escapeHtml } from './html.ts';

const VIRIDIS = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'];

/** The colour of t in [0, 1] on viridis (linear between five stops). */
export function viridis(t: number): string {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const k = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - k;
  const rgb = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
  const [a, b] = [rgb(VIRIDIS[k]), rgb(VIRIDIS[k + 1])];
  return `rgb(${a.map((v, i) => Math.round(v + f * (b[i] - v))).join(',')})`;
}

export function heatmapSvg(
  title: string,
  rows: readonly string[],
  columns: readonly string[],
  z: readonly (readonly (number | null)[])[],
  o: { max?: number } = {},
): string {
  const cw = 62,
    ch = 20,
    left = 150,
    top = 92;
  // Column labels slant up to the right from their column: room above and to the right for them.
  const W = left + cw * columns.length + 90;
  const H = top + ch * rows.length + 12;
  const max = o.max ?? Math.max(1e-9, ...z.flat().filter((v): v is number => v !== null));
  const parts: string[] = [];
  columns.forEach((c, j) => {
    const x = left + cw * j + cw / 2;
    parts.push(
      `<text x="${x}" y="${top - 6}" font-size="10" fill="currentColor" text-anchor="start" ` +
        `transform="rotate(-35 ${x} ${top - 6})">${escapeHtml(c)}</text>`,
    );
  });
  rows.forEach((r, i) => {
    const y = top + ch * i;
    parts.push(
      `<text x="${left - 6}" y="${y + ch / 2 + 4}" font-size="10" fill="currentColor" ` +
        `text-anchor="end">${escapeHtml(r)}</text>`,
    );
    (z[i] ?? []).forEach((v, j) => {
      if (v === null || v === undefined) return;
      const t = v / max;
      parts.push(
        `<rect x="${left + cw * j}" y="${y}" width="${cw - 1}" height="${ch - 1}" ` +
          `fill="${viridis(t)}"><title>${escapeHtml(`${r}, ${columns[j]}: ${v.toFixed(3)}`)}</title></rect>` +
          `<text x="${left + cw * j + cw / 2}" y="${y + ch / 2 + 4}" font-size="10" text-anchor="middle" ` +
          `fill="${t > 0.6 ? '#111' : '#fff'}">${v.toFixed(2)}</text>`,
      );
    });
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" ` +
    `aria-label="${escapeHtml(title)}">` +
    `<text x="8" y="16" font-size="13" font-weight="bold" ` +
    `fill="currentColor">${escapeHtml(title)}</text>${parts.join('')}</svg>`
  );
}
