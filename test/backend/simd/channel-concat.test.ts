// channel-concat.c against a plain TypeScript reference: parts of widths w copied into the columns
// [offset, offset + w) of rows of width `total`, and copied back out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onHeap } from '../../helpers/simd-heap.ts';
import { SEED, normals, rng } from '../../helpers/random.ts';

const M = 7;
const widths = [4, 3, 6];
const total = widths.reduce((a, b) => a + b, 0);
const offsets = widths.map((_, k) => widths.slice(0, k).reduce((a, b) => a + b, 0));

test('copy_into_columns fills each part into its columns, copy_from_columns takes it back', async () => {
  const next = rng(SEED);
  const parts = widths.map((w) => normals(M * w, next));
  const expected = new Float32Array(M * total);
  parts.forEach((p, k) => {
    for (let m = 0; m < M; m++)
      for (let c = 0; c < widths[k]; c++) expected[m * total + offsets[k] + c] = p[m * widths[k] + c];
  });
  const into = await onHeap({ p0: parts[0], p1: parts[1], p2: parts[2] }, { out: M * total }, (k, at) => {
    widths.forEach((w, i) => {
      k.copy_into_columns(at[`p${i}`], at.out, M, w, total, offsets[i]);
    });
    return undefined;
  });
  assert.deepEqual(into.out.out, expected, `seed ${SEED}: concatenation`);
  for (const [i, w] of widths.entries()) {
    const from = await onHeap({ x: expected }, { part: M * w }, (k, at) =>
      k.copy_from_columns(at.x, at.part, M, w, total, offsets[i]),
    );
    assert.deepEqual(from.out.part, parts[i], `seed ${SEED}: part ${i}`);
  }
});
