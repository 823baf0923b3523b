import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/random/rng.ts';
import { RnnPolicy } from '../../src/policy/policy.ts';
import { RNN_POLICY_SIZE, rnnOperationSlice, rnnStructureSlice } from '../../src/policy/rnn-layout.ts';
import { sampleRnnChild } from '../../src/policy/sample.ts';
import { deriveRnnArgmax } from '../../src/policy/derive.ts';
import { reinforceGradient } from '../../src/policy/reinforce.ts';
import { logProbOf } from '../../src/policy/categorical.ts';
import { SEED } from '../helpers/random.ts';

test('the recurrent policy: 36 structure logits (node i has i inputs) and 4 activations per edge', () => {
  assert.equal(RNN_POLICY_SIZE, 36 + 36 * 4);
  assert.deepEqual(rnnStructureSlice(1), { offset: 0, size: 1 });
  assert.deepEqual(rnnStructureSlice(8), { offset: 28, size: 8 });
  assert.deepEqual(rnnOperationSlice(1, 0), { offset: 36, size: 4 });
  assert.deepEqual(rnnOperationSlice(8, 7), { offset: 36 + 35 * 4, size: 4 });
  const p = new RnnPolicy().probabilities();
  assert.deepEqual(
    p.structure.map((v) => v.length),
    [1, 2, 3, 4, 5, 6, 7, 8],
  );
  assert.ok(p.structure[3].every((q) => Math.abs(q - 0.25) < 1e-12));
});

test(
  'sampling: one input and one activation per node, ' + 'log-probability = sum over the draws, uniform at the start',
  () => {
    const child = sampleRnnChild(new RnnPolicy(), new Rng(SEED));
    assert.equal(child.draws.length, 16);
    child.genotype.recurrent.forEach(([, j], i) => {
      assert.ok(j <= i, 'input is an earlier node');
    });
    // Uniform: log p = -sum_i log(i) - 8 log 4.
    let expected = -8 * Math.log(4);
    for (let i = 1; i <= 8; i++) expected -= Math.log(i);
    assert.ok(Math.abs(child.logProb - expected) < 1e-9);
    const policy = new RnnPolicy();
    assert.ok(Math.abs(child.draws.reduce((s, d) => s + logProbOf(policy.logits, d), 0) - child.logProb) < 1e-12);
  },
);

test('input frequencies of node 3 follow its structure probabilities (chi-square, 2 dof)', () => {
  const policy = new RnnPolicy();
  const s = rnnStructureSlice(3);
  policy.logits.set([0, 1, 2], s.offset);
  const p = policy.structureProbabilities(3);
  const counts = [0, 0, 0];
  const rng = new Rng(SEED);
  const n = 20000;
  for (let k = 0; k < n; k++) counts[sampleRnnChild(policy, rng).genotype.recurrent[2][1]]++;
  const chi2 = counts.reduce((c, o, j) => c + (o - n * p[j]) ** 2 / (n * p[j]), 0);
  assert.ok(chi2 < 13.8, `chi-square ${chi2.toFixed(2)} (p < 0.001 at 13.8 for 2 dof)`);
});

test('a positive advantage raises every sampled choice; argmax derivation follows the logits', () => {
  const policy = new RnnPolicy();
  const child = sampleRnnChild(policy, new Rng(SEED));
  const grad = reinforceGradient(policy.logits, child, 1, 0);
  for (const d of child.draws)
    if (d.size > 1) assert.ok(grad[d.offset + d.picked] < 0, 'descent raises the picked logit');
  for (let k = 0; k < policy.logits.length; k++) policy.logits[k] -= grad[k] * 10;
  assert.deepEqual(deriveRnnArgmax(policy), child.genotype);
});
