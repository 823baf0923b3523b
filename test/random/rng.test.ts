import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/random/rng.ts';
import { SEED } from '../helpers/random.ts';

test('a seed fixes the stream; state() resumes it exactly', () => {
  const a = new Rng(SEED);
  const b = new Rng(SEED);
  const first = Array.from({ length: 5 }, () => a.uniform());
  assert.deepEqual(
    first,
    Array.from({ length: 5 }, () => b.uniform()),
  );
  const resumed = new Rng(a.state());
  assert.deepEqual(
    Array.from({ length: 5 }, () => resumed.nextUint32()),
    Array.from({ length: 5 }, () => a.nextUint32()),
  );
  assert.notDeepEqual(
    first,
    Array.from({ length: 5 }, () => new Rng(SEED + 1).uniform()),
  );
});

test('uniform, int, normal and categorical have the right moments', () => {
  const r = new Rng(SEED);
  const n = 40000;
  let u = 0,
    z = 0,
    z2 = 0;
  const counts = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const x = r.uniform();
    assert.ok(x >= 0 && x < 1);
    u += x;
    const g = r.normal();
    z += g;
    z2 += g * g;
    counts[r.categorical([0.2, 0.5, 0.3])]++;
    assert.ok(r.int(7) < 7);
  }
  const msg = `seed ${SEED}`;
  assert.ok(Math.abs(u / n - 0.5) < 0.01, msg);
  assert.ok(Math.abs(z / n) < 0.02 && Math.abs(z2 / n - 1) < 0.03, msg);
  [0.2, 0.5, 0.3].forEach((p, i) => {
    assert.ok(Math.abs(counts[i] / n - p) < 0.01, msg);
  });
  assert.equal(r.categorical([0, 0, 1]), 2);
  assert.throws(() => r.categorical([0, 0]), /all weights are zero/);
});

test('shuffle is a permutation', () => {
  const a = new Rng(SEED).shuffle([...Array(50).keys()]);
  assert.deepEqual(
    [...a].sort((x, y) => x - y),
    [...Array(50).keys()],
  );
});
