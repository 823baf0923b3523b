import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ednasSplit, splitSizes } from '../../src/data/split.ts';
import { classCounts } from '../../src/data/image-set.ts';
import { Rng } from '../../src/random/rng.ts';
import { SEED } from '../helpers/random.ts';

// Unbalanced classes, shuffled: 10 classes with 50..500 images.
const rng = new Rng(SEED);
const labels = rng.shuffle(
  Uint8Array.from(Array.from({ length: 10 }, (_, c) => new Array(50 * (c + 1)).fill(c)).flat()),
);
const perClass = classCounts(labels, 10);
const msg = `seed ${SEED}`;

test('the weight and policy splits are disjoint and of the asked sizes', () => {
  const s = ednasSplit(labels, { seed: SEED });
  assert.equal(s.weight.length + s.policy.length, labels.length);
  assert.equal(s.policy.length, Math.round(labels.length * 0.2));
  const seen = new Set([...s.weight, ...s.policy]);
  assert.equal(seen.size, labels.length, msg);
});

test('each split is stratified: every class within one image of its share', () => {
  for (const config of [{ seed: SEED }, { seed: SEED, limit: 700 }, { seed: SEED, weight: 1000, policy: 333 }]) {
    const s = ednasSplit(labels, config);
    for (const part of [s.weight, s.policy]) {
      const counts = classCounts(labels, 10, part);
      counts.forEach((n, c) => {
        const share = (perClass[c] * part.length) / labels.length;
        assert.ok(
          Math.abs(n - share) <= 2,
          `${msg}, class ${c}: ${n} vs ${share.toFixed(2)} (${JSON.stringify(config)})`,
        );
      });
    }
  }
});

test('the same seed gives the same split; another seed another', () => {
  const a = ednasSplit(labels, { seed: SEED, limit: 500 });
  const b = ednasSplit(labels, { seed: SEED, limit: 500 });
  const c = ednasSplit(labels, { seed: SEED + 1, limit: 500 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.weight, c.weight);
});

test('sizes: fraction, limit, exact counts and impossible requests', () => {
  assert.deepEqual(splitSizes(50000, { seed: 0 }), { weight: 40000, policy: 10000 });
  assert.deepEqual(splitSizes(50000, { seed: 0, limit: 10000 }), { weight: 8000, policy: 2000 });
  assert.deepEqual(splitSizes(1281167, { seed: 0, weight: 1000000, policy: 200000 }), {
    weight: 1000000,
    policy: 200000,
  });
  assert.throws(
    () => splitSizes(100, { seed: 0, weight: 90, policy: 20 }),
    /asks for 90 weight \+ 20 policy images but the training set has 100/,
  );
  assert.throws(() => splitSizes(100, { seed: 0, limit: 2, policyFraction: 0.1 }), /empty weight or policy split/);
});
