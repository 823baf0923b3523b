import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Policy } from '../../src/policy/policy.ts';
import { sampleChild } from '../../src/policy/sample.ts';
import { Adam, Baseline, reinforceGradient } from '../../src/policy/reinforce.ts';
import { logProbOf } from '../../src/policy/categorical.ts';
import { deriveArgmax, deriveSampleBest, parseDeriveMethod } from '../../src/policy/derive.ts';
import { operationSlice, POLICY_SIZE, structureSlice } from '../../src/policy/cnn-layout.ts';
import { OP_NAMES } from '../../src/space/ops.ts';
import { CELL_TYPES } from '../../src/space/genotype.ts';
import { Rng } from '../../src/random/rng.ts';
import { SEED } from '../helpers/random.ts';

const msg = `seed ${SEED}`;
const randomPolicy = (seed: number, scale = 1.5) => {
  const r = new Rng(seed);
  return new Policy(Array.from({ length: POLICY_SIZE }, () => scale * r.normal()));
};
const softmax = (l: number[]) => {
  const m = Math.max(...l);
  const e = l.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};
/** Chi-square critical value at p = 0.001 (Wilson-Hilferty). */
const chi2Critical = (df: number) => df * (1 - 2 / (9 * df) + 3.09 * Math.sqrt(2 / (9 * df))) ** 3;
function chiSquare(observed: number[], expected: number[]): number {
  return observed.reduce((s, o, k) => (expected[k] > 0 ? s + (o - expected[k]) ** 2 / expected[k] : s), 0);
}

test(
  'structure sampling: two distinct inputs, first from the softmax, second from the softmax over the rest ' +
    '(chi-square)',
  () => {
    const policy = randomPolicy(SEED);
    const rng = new Rng(SEED + 1);
    const n = 20000;
    const node = 3; // operation node 5: 5 candidates, 20 ordered pairs
    const joint = new Array(25).fill(0);
    const opCounts = new Array(7).fill(0);
    let opEdgeHits = 0;
    for (let t = 0; t < n; t++) {
      const g = sampleChild(policy, rng).genotype;
      const [[, a], [op, b]] = [g.reduce[2 * node], g.reduce[2 * node + 1]];
      assert.notEqual(a, b);
      joint[a * 5 + b]++;
      if (b === 1) {
        opEdgeHits++;
        opCounts[OP_NAMES.indexOf(op)]++;
      }
    }
    const s = structureSlice('reduce', node);
    const p = softmax([...policy.logits.subarray(s.offset, s.offset + s.size)]);
    const expected = joint.map((_, k) => {
      const [a, b] = [Math.floor(k / 5), k % 5];
      return a === b ? 0 : (n * p[a] * p[b]) / (1 - p[a]);
    });
    assert.ok(chiSquare(joint, expected) < chi2Critical(19), `${msg}: structure chi2 ${chiSquare(joint, expected)}`);
    const o = operationSlice('reduce', node, 1);
    const q = softmax([...policy.logits.subarray(o.offset, o.offset + o.size)]);
    const c2 = chiSquare(
      opCounts,
      q.map((v) => v * opEdgeHits),
    );
    assert.ok(c2 < chi2Critical(6), `${msg}: operation chi2 ${c2}`);
  },
);

test('log-probability and entropy equal a hand computation over every choice', () => {
  const policy = randomPolicy(SEED);
  const child = sampleChild(policy, new Rng(SEED));
  let logp = 0;
  let entropy = 0;
  const h = (p: number[]) => -p.reduce((s, v) => s + (v > 0 ? v * Math.log(v) : 0), 0);
  for (const type of CELL_TYPES) {
    const pairs = child.genotype[type];
    for (let i = 0; i < 4; i++) {
      const s = structureSlice(type, i);
      const p = softmax([...policy.logits.subarray(s.offset, s.offset + s.size)]);
      const [a, b] = [pairs[2 * i][1], pairs[2 * i + 1][1]];
      const rest = p.map((v, k) => (k === a ? 0 : v / (1 - p[a])));
      logp += Math.log(p[a]) + Math.log(rest[b]);
      entropy += h(p) + h(rest);
      for (const [op, j] of [pairs[2 * i], pairs[2 * i + 1]]) {
        const o = operationSlice(type, i, j);
        const q = softmax([...policy.logits.subarray(o.offset, o.offset + o.size)]);
        logp += Math.log(q[OP_NAMES.indexOf(op)]);
        entropy += h(q);
      }
    }
  }
  assert.ok(Math.abs(child.logProb - logp) < 1e-10, `${msg}: ${child.logProb} vs ${logp}`);
  assert.ok(Math.abs(child.entropy - entropy) < 1e-10, msg);
  assert.equal(child.draws.length, 2 * 4 * 4);
  // Uniform policy: log p is the same for every child.
  const uniform = sampleChild(new Policy(), new Rng(SEED));
  const perCell =
    Math.log(1 / 2) +
    Math.log(1 / 1) +
    Math.log(1 / 3) +
    Math.log(1 / 2) +
    Math.log(1 / 4) +
    Math.log(1 / 3) +
    Math.log(1 / 5) +
    Math.log(1 / 4) +
    8 * Math.log(1 / 7);
  assert.ok(Math.abs(uniform.logProb - 2 * perCell) < 1e-10);
});

test('the REINFORCE gradient equals finite differences of -(A log p + h H)', () => {
  const policy = randomPolicy(SEED, 0.5);
  const child = sampleChild(policy, new Rng(SEED));
  const A = 0.7,
    hw = 0.3;
  const objective = (l: Float64Array) => {
    let lp = 0,
      H = 0;
    for (const d of child.draws) {
      lp += logProbOf(l, d);
      const probs = [...Array(d.size).keys()].map((k) =>
        k === d.excluded ? 0 : Math.exp(logProbOf(l, { ...d, picked: k })),
      );
      H -= probs.reduce((s, v) => s + (v > 0 ? v * Math.log(v) : 0), 0);
    }
    return -(A * lp) - hw * H;
  };
  const grad = reinforceGradient(policy.logits, child, A, hw);
  const eps = 1e-6;
  for (const k of [0, 3, 13, 14, 20, 57, 111, 112, 130, 223]) {
    const plus = Float64Array.from(policy.logits);
    plus[k] += eps;
    const minus = Float64Array.from(policy.logits);
    minus[k] -= eps;
    const fd = (objective(plus) - objective(minus)) / (2 * eps);
    assert.ok(Math.abs(fd - grad[k]) < 1e-6, `${msg}: logit ${k}: ${grad[k]} vs ${fd}`);
  }
});

test('a constant positive advantage raises the sampled choices; a negative one lowers them', () => {
  for (const sign of [1, -1]) {
    const policy = new Policy();
    const child = sampleChild(policy, new Rng(SEED));
    const adam = new Adam(POLICY_SIZE, 0.01);
    for (let t = 0; t < 5; t++) adam.step(policy.logits, reinforceGradient(policy.logits, child, sign, 0));
    // Per vector: every picked entry (both inputs of a node) moves against every entry not picked.
    const picked = new Map<number, { size: number; set: Set<number> }>();
    for (const d of child.draws) {
      const v = picked.get(d.offset) ?? { size: d.size, set: new Set<number>() };
      v.set.add(d.picked);
      picked.set(d.offset, v);
    }
    for (const [offset, { size, set }] of picked) {
      for (const a of set)
        for (let k = 0; k < size; k++) {
          if (!set.has(k))
            assert.ok(
              sign * (policy.logits[offset + a] - policy.logits[offset + k]) > 0,
              `${msg}: vector at ${offset}`,
            );
        }
    }
  }
});

test('the baseline starts at the first reward, then moves 5% of the way to each new one', () => {
  const b = new Baseline(0.95);
  assert.equal(b.update(0.4), 0.4);
  assert.ok(Math.abs(b.update(0.6) - 0.41) < 1e-12);
});

test('Adam matches torch.optim.Adam on a worked example', () => {
  // torch.optim.Adam([p], lr=0.1, betas=(0.5, 0.999)) with p = [1, -2] and grads [0.5, -1], then [0.2, 0.3]
  const p = Float64Array.from([1, -2]);
  const adam = new Adam(2, 0.1, 0.5, 0.999);
  adam.step(p, Float64Array.from([0.5, -1]));
  assert.ok(Math.abs(p[0] - 0.9) < 1e-7 && Math.abs(p[1] + 1.9) < 1e-7, `${p}`);
  adam.step(p, Float64Array.from([0.2, 0.3]));
  // Values printed by torch 1.13 (float64) for the same two steps.
  assert.ok(Math.abs(p[0] - 0.8212018707456448) < 1e-12 && Math.abs(p[1] + 1.8819352829367846) < 1e-12, `${p}`);
});

test(
  'argmax derivation picks the two likeliest inputs and the likeliest op; ' + 'sample-best keeps the top scorer',
  async () => {
    const policy = new Policy();
    const s = structureSlice('normal', 2); // node 4: inputs 0..3
    policy.logits[s.offset + 3] = 2;
    policy.logits[s.offset + 1] = 1;
    const o = operationSlice('normal', 2, 3);
    policy.logits[o.offset + OP_NAMES.indexOf('dil_conv_5x5')] = 1;
    const g = deriveArgmax(policy);
    assert.deepEqual(g.normal.slice(4, 6), [
      ['sep_conv_3x3', 1],
      ['dil_conv_5x5', 3],
    ]);
    const best = await deriveSampleBest(
      randomPolicy(SEED),
      5,
      new Rng(SEED),
      (x) => x.normal.filter(([op]) => op === 'skip_connect').length,
    );
    assert.ok(best.score >= 0);
    assert.equal(parseDeriveMethod('sample-best:8'), 'sample-best:8');
    assert.throws(() => parseDeriveMethod('best'), /argmax or sample-best:K/);
  },
);
