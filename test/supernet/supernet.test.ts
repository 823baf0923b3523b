import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Supernet } from '../../src/supernet/supernet.ts';
import { planCells, reductionIndices } from '../../src/space/plan.ts';
import { Policy } from '../../src/policy/policy.ts';
import { sampleChild } from '../../src/policy/sample.ts';
import { Search } from '../../src/cnn/search.ts';
import { makeBatch } from '../../src/data/batches.ts';
import { Rng } from '../../src/random/rng.ts';
import { onBackend } from '../helpers/backends.ts';
import { SEED } from '../helpers/random.ts';
import { TINY_SEARCH, tinyImages } from '../helpers/tiny.ts';

const msg = `seed ${SEED}`;

test('the cell plan puts reductions at floor(L/3) and floor(2L/3) and doubles channels there', () => {
  assert.deepEqual(reductionIndices(8), [2, 5]);
  assert.deepEqual(reductionIndices(20), [6, 13]);
  const plan = planCells(16, 8, 48);
  assert.deepEqual(
    plan.map((c) => c.C),
    [16, 16, 32, 32, 32, 64, 64, 64],
  );
  assert.deepEqual(
    plan.map((c) => c.reductionPrev),
    [false, false, false, true, false, false, true, false],
  );
  assert.deepEqual([plan[3].Cpp, plan[3].Cp], [64, 128]);
});

test('a child forward gives [B, classes] logits and the supernet holds every (edge, op) weight once', () =>
  onBackend('wasm', () => {
    const net = new Supernet({ C: 2, layers: 3, classes: 4, stemMultiplier: 3 }, new Rng(SEED));
    const names = [...net.weights.keys()];
    assert.equal(new Set(names).size, names.length);
    // Weighted ops per edge: the 4 convolutions, plus skip_connect (FactorizedReduce) on the 8 stride-2 edges
    // of each reduction cell (cells 1 and 2 of 3); pools own no weights.
    const edgeOps = new Set(names.filter((n) => n.includes('.edges.')).map((n) => n.split('.').slice(0, 5).join('.')));
    assert.equal(edgeOps.size, 3 * 14 * 4 + 2 * 8);
    const x = tf.zeros([5, 8, 8, 3]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const logits = net.forward(x, sampleChild(new Policy(), new Rng(SEED)).genotype);
    assert.deepEqual(logits.shape, [5, 4]);
    tf.dispose([logits, x]);
    assert.equal(tf.memory().numTensors, before - 1);
    net.dispose();
  }));

test('a weight step changes only the child weights; unused weights keep still despite momentum and weight decay', () =>
  onBackend('wasm', async () => {
    const data = tinyImages(16, SEED);
    const search = new Search({ ...TINY_SEARCH, seed: SEED }, data);
    const batch = makeBatch(data, [...Array(8).keys()]);
    const snapshot = () =>
      new Map([...search.supernet.weights].map(([n, v]) => [n, Float32Array.from(v.dataSync() as Float32Array)]));
    const a = search.sampleChild();
    let b = search.sampleChild();
    while (b.genotype.normal.every(([op, j], k) => op === a.genotype.normal[k][0] && j === a.genotype.normal[k][1]))
      b = search.sampleChild();
    const usedA = new Set(search.supernet.childWeightNames(a.genotype));
    const usedB = new Set(search.supernet.childWeightNames(b.genotype));
    const w0 = snapshot();
    await search.weightStep(batch, a);
    const w1 = snapshot();
    const changed = (x: Float32Array, y: Float32Array) => x.some((v, k) => v !== y[k]);
    for (const [name, v] of w1) {
      if (!usedA.has(name)) assert.ok(!changed(v, w0.get(name)!), `${msg}: ${name} moved without being in the child`);
    }
    assert.ok(
      [...usedA].some((n) => changed(w1.get(n)!, w0.get(n)!)),
      'child weights moved',
    );
    // A's weights now have momentum; a step on B must not move the ones B does not use.
    await search.weightStep(batch, b);
    const w2 = snapshot();
    for (const name of usedA)
      if (!usedB.has(name))
        assert.ok(!changed(w2.get(name)!, w1.get(name)!), `${msg}: ${name} moved by momentum or decay`);
    tf.dispose([batch.x, batch.y]);
    search.dispose();
  }));

test('gradients reach exactly the child weights', () =>
  onBackend('wasm', () => {
    const net = new Supernet({ C: 2, layers: 3, classes: 4, stemMultiplier: 3 }, new Rng(SEED));
    const g = sampleChild(new Policy(), new Rng(SEED + 1)).genotype;
    const x = tf.randomNormal([4, 8, 8, 3]) as tf.Tensor4D;
    const ours = new Map([...net.weights].map(([n, v]) => [v.name, n]));
    const { value, grads } = tf.variableGrads(() => tf.sum(net.forward(x, g)) as tf.Scalar, [...net.weights.values()]);
    const used = new Set(net.childWeightNames(g));
    for (const [varName, t] of Object.entries(grads)) {
      const name = ours.get(varName)!;
      const nonzero = t !== null && (t.dataSync() as Float32Array).some((v) => v !== 0);
      if (!used.has(name)) assert.ok(!nonzero, `${msg}: ${name} got a gradient`);
      else if (!name.includes('.pre0.')) assert.ok(nonzero, `${msg}: child weight ${name} got no gradient`);
    }
    tf.dispose([x, value, ...Object.values(grads).filter((t) => t)]);
    net.dispose();
  }));
