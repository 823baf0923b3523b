// A structured, collapsible HTML view of any value, for notebooks' outputs where util.inspect's text is
// a wall: arrays and typed arrays by length with their first items, tensors by dtype and shape with a few
// values, lists of records as tables, objects, maps and sets as trees (<details>: no script needed). The
// top level is open, deeper levels folded; lengths, depth and text are capped, and every string is escaped.
import { escapeHtml } from '../viz/html.ts';

const ITEMS = 50;
const ROWS = 20;
const COLUMNS = 12;
const DEPTH = 5;
const TEXT = 400;

type TensorLike = {
  shape: number[];
  dtype: string;
  size: number;
  isDisposed?: boolean;
  dataSync(): ArrayLike<number | string>;
};
const isTensor = (v: object): v is TensorLike =>
  Array.isArray((v as TensorLike).shape) &&
  typeof (v as TensorLike).dtype === 'string' &&
  typeof (v as TensorLike).size === 'number' &&
  typeof (v as TensorLike).dataSync === 'function';
const isTyped = (v: object): v is ArrayLike<number | bigint> & { constructor: { name: string } } =>
  ArrayBuffer.isView(v) && !(v instanceof DataView);
const isPlain = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};
const primitive = (v: unknown) => v === null || (typeof v !== 'object' && typeof v !== 'function');

/** Whether a value gets the structured view (objects of any kind but functions, errors, dates, promises). */
export function hasStructuredView(v: unknown): boolean {
  return (
    typeof v === 'object' &&
    v !== null &&
    !(v instanceof Error) &&
    !(v instanceof Date) &&
    !(v instanceof RegExp) &&
    !(v instanceof Promise) &&
    !(v instanceof WeakMap) &&
    !(v instanceof WeakSet)
  );
}

const span = (cls: string, text: string) => `<span class="ev-${cls}">${escapeHtml(text)}</span>`;
const cut = (s: string) => (s.length > TEXT ? `${s.slice(0, TEXT)}… (${s.length} characters)` : s);
const count = (n: number) => n.toLocaleString('en-US');
const more = (shown: number, total: number, what = 'more') =>
  total > shown ? `<li class="ev-more">… ${count(total - shown)} ${what}</li>` : '';

function leaf(v: unknown): string {
  if (v === null) return span('null', 'null');
  switch (typeof v) {
    case 'string':
      return span('str', JSON.stringify(cut(v)));
    case 'number':
      return span('num', String(v));
    case 'bigint':
      return span('num', `${v}n`);
    case 'boolean':
      return span('bool', String(v));
    case 'undefined':
      return span('null', 'undefined');
    case 'symbol':
      return span('sym', v.toString());
    case 'function':
      return span('fn', `ƒ ${v.name || '(anonymous)'}()`);
  }
  if (v instanceof Date) return span('date', Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString());
  if (v instanceof Error) return span('err', `${v.name}: ${cut(v.message)}`);
  return span('obj', Object.prototype.toString.call(v));
}

const nameOf = (v: object) => {
  const c = (v as { constructor?: { name?: unknown } }).constructor;
  return typeof c?.name === 'string' && c.name ? c.name : 'Object';
};

/** Rows of plain records with primitive fields, shown as a table. */
function asTable(items: unknown[]): string | undefined {
  if (items.length < 2 || !items.every((r) => isPlain(r) && Object.values(r).every(primitive))) return undefined;
  const columns = [...new Set(items.slice(0, ROWS).flatMap((r) => Object.keys(r as object)))];
  if (columns.length === 0 || columns.length > COLUMNS) return undefined;
  const rows = items.slice(0, ROWS) as Record<string, unknown>[];
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${columns.map((c) => `<td>${c in r ? leaf(r[c]) : ''}</td>`).join('')}</tr>`)
    .join('');
  const caption = items.length > ROWS ? `<caption>${ROWS} of ${count(items.length)} rows</caption>` : '';
  return `<table class="ev-table">${caption}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function node(v: unknown, depth: number, seen: WeakSet<object>): string {
  if (!hasStructuredView(v)) return leaf(v);
  const o = v as object;
  if (seen.has(o)) return span('obj', '[circular]');
  if (isTensor(o)) {
    let values = '';
    if (o.isDisposed) values = span('null', 'disposed');
    else {
      try {
        const data = o.dataSync();
        const shown = Array.from({ length: Math.min(10, data.length) }, (_, k) => data[k]);
        values = `${shown.map((x) => leaf(x)).join(', ')}${data.length > shown.length ? ', …' : ''}`;
      } catch (e) {
        values = span('null', `values not readable here (${(e as Error).message})`);
      }
    }
    return `<span class="ev-tensor">${span(
      'type',
      `Tensor ${o.dtype} [${o.shape.join(', ')}]`,
    )} ${span('meta', `${count(o.size)} values`)} [${values}]</span>`;
  }
  const label = (summary: string, inner: string) =>
    depth >= DEPTH
      ? span('type', summary)
      : `<details${depth === 0 ? ' open' : ''}><summary>${escapeHtml(summary)}</summary>${inner}</details>`;
  seen.add(o);
  try {
    if (isTyped(o)) {
      const n = o.length;
      const items = Array.from({ length: Math.min(ITEMS, n) }, (_, k) => `<li>${leaf(o[k])}</li>`).join('');
      return label(
        `${nameOf(o)}(${count(n)})`,
        `<ol class="ev-list" start="0">${items}${more(Math.min(ITEMS, n), n)}</ol>`,
      );
    }
    if (Array.isArray(o)) {
      const table = asTable(o);
      if (table) return label(`Array(${count(o.length)}) of records`, table);
      const items = o
        .slice(0, ITEMS)
        .map((x) => `<li>${node(x, depth + 1, seen)}</li>`)
        .join('');
      return label(
        `Array(${count(o.length)})`,
        `<ol class="ev-list" start="0">${items}${more(Math.min(ITEMS, o.length), o.length)}</ol>`,
      );
    }
    if (o instanceof Map) {
      const entries = [...o.entries()]
        .slice(0, ITEMS)
        .map(([k, x]) => `<li>${node(k, depth + 1, seen)} → ${node(x, depth + 1, seen)}</li>`)
        .join('');
      return label(
        `Map(${count(o.size)})`,
        `<ul class="ev-list">${entries}${more(Math.min(ITEMS, o.size), o.size)}</ul>`,
      );
    }
    if (o instanceof Set) {
      const entries = [...o]
        .slice(0, ITEMS)
        .map((x) => `<li>${node(x, depth + 1, seen)}</li>`)
        .join('');
      return label(
        `Set(${count(o.size)})`,
        `<ul class="ev-list">${entries}${more(Math.min(ITEMS, o.size), o.size)}</ul>`,
      );
    }
    const keys = Object.keys(o);
    const entries = keys
      .slice(0, ITEMS)
      .map((k) => {
        let x: unknown;
        try {
          x = (o as Record<string, unknown>)[k];
        } catch (e) {
          x = e;
        }
        return `<li>${span('key', k)}: ${node(x, depth + 1, seen)}</li>`;
      })
      .join('');
    const preview = keys.slice(0, 4).join(', ') + (keys.length > 4 ? ', …' : '');
    return label(
      `${nameOf(o)} {${preview}}`,
      `<ul class="ev-list">${entries}${more(Math.min(ITEMS, keys.length), keys.length, 'more keys')}</ul>`,
    );
  } finally {
    seen.delete(o);
  }
}

const STYLE =
  '.ednas-value{font:12px/1.45 ui-monospace,monospace}.ednas-value details>summary{cursor:pointer}.ednas-value ' +
  '.ev-list{margin:0;padding-left:30px}' +
  '.ednas-value .ev-more,.ednas-value .ev-meta{opacity:.7}.ednas-value .ev-str{color:#b35900}.ednas-value ' +
  '.ev-num{color:#1750eb}.ednas-value .ev-key{color:#871094}' +
  '.ednas-value .ev-type{font-weight:600}.ednas-value .ev-table{border-collapse:collapse}.ednas-value .ev-table ' +
  'td,.ednas-value .ev-table th{padding:1px 8px;border-bottom:1px solid #8884;text-align:left}';

/** The value as collapsible HTML. */
export function valueHtml(value: unknown): string {
  return `<div class="ednas-value"><style>${STYLE}</style>${node(value, 0, new WeakSet())}</div>`;
}
