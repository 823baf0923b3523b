// The structured view of values in notebook outputs: arrays and typed arrays by length with their first
// items, tensors by dtype and shape, records as tables, folded depth, caps on length, cycles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { mimeBundle } from '../../src/display/mime.ts';
import { hasStructuredView, valueHtml } from '../../src/display/value-view.ts';
import { onBackend } from '../helpers/backends.ts';

const text = (html: string) => html.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, '');

test('objects get the structured view beside their text; plain values, errors and dates stay text', () => {
  assert.deepEqual(Object.keys(mimeBundle({ a: 1 })).sort(), ['text/html', 'text/plain']);
  assert.deepEqual(mimeBundle(42), { 'text/plain': '42' });
  for (const v of [new Error('x'), new Date(0), /re/, Promise.resolve(1), 'text', null, undefined, () => 1])
    assert.equal(hasStructuredView(v), false, String(v));
  assert.match(String(mimeBundle([1, 2])['text/plain']), /\[ 1, 2 \]/, 'the text is still util.inspect');
});

test('arrays, typed arrays, maps, sets and objects: lengths, first items, top level open, depth folded', () => {
  const big = valueHtml(Array.from({ length: 500 }, (_, k) => k));
  assert.match(big, /^<div class="ednas-value"><style>/);
  assert.match(text(big), /Array\(500\)/);
  assert.match(text(big), /… 450 more/);
  assert.equal((big.match(/<li>/g) ?? []).length, 50);
  assert.match(big, /<details open><summary>Array\(500\)/, 'the top level is open');
  assert.match(text(valueHtml(new Float32Array(1000))), /Float32Array\(1,000\)/);
  const nested = valueHtml({
    a: { b: { c: { d: { e: { f: { g: 1 } } } } } },
    m: new Map([['k', 1]]),
    s: new Set([1, 2]),
  });
  assert.match(nested, /<details><summary>Object \{b\}/, 'deeper levels are folded');
  assert.match(text(nested), /e: Object \{f\}/, 'past the depth cap: only the summary');
  assert.doesNotMatch(text(nested), /f: /);
  assert.match(text(nested), /Map\(1\)/);
  assert.match(text(nested), /Set\(2\)/);
  const loop: Record<string, unknown> = { name: 'loop' };
  loop.self = loop;
  assert.match(text(valueHtml(loop)), /\[circular\]/);
  assert.match(text(valueHtml({ s: 'x'.repeat(1000) })), /… \(1000 characters\)/);
});

test('lists of records are tables (at most 20 rows shown)', () => {
  const rows = Array.from({ length: 30 }, (_, k) => ({ epoch: k, reward: k / 10, name: `e${k}` }));
  const html = valueHtml(rows);
  assert.match(
    html,
    /<table class="ev-table"><caption>20 of 30 rows<\/caption><thead><tr><th>epoch<\/th><th>reward<\/th><th>name<\/th>/,
  );
  assert.equal((html.match(/<tr>/g) ?? []).length, 21);
});

test('tensors by dtype, shape and size, with their first values; disposed ones say so', () =>
  onBackend('cpu', () => {
    const t = tf.range(0, 24).reshape([2, 3, 4]);
    const html = text(valueHtml({ weights: t }));
    assert.match(html, /Tensor float32 \[2, 3, 4\] 24 values \[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, …\]/);
    t.dispose();
    assert.match(text(valueHtml(t)), /Tensor float32 \[2, 3, 4\] 24 values \[disposed\]/);
  }));
