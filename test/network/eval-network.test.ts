import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { EvalNetwork, dropPath } from '../../src/network/eval-network.ts';
import { genotypeFromJson } from '../../src/space/genotype.ts';
import { Rng } from '../../src/random/rng.ts';
import { onBackend } from '../helpers/backends.ts';
import { SEED } from '../helpers/random.ts';

const DARTS_V2 = genotypeFromJson(readFileSync(new URL('../fixtures/genotype_darts_v2.json', import.meta.url), 'utf8'));

test("DARTS V2 has DARTS' published sizes: 3.3M on CIFAR (C=36, L=20) and 4.7M on ImageNet (C=48, L=14)", () =>
  onBackend('cpu', () => {
    // Exact counts of DARTS' own model.py for this genotype (bench/darts_params.py, PyTorch 1.13).
    const cifar = new EvalNetwork(
      DARTS_V2,
      { C: 36, layers: 20, classes: 10, auxiliary: true, imagenet: false },
      new Rng(0),
    );
    assert.deepEqual(cifar.parameterCount(), { params: 3349342, params_with_aux: 3825768 });
    cifar.dispose();
    const imagenet = new EvalNetwork(
      DARTS_V2,
      { C: 48, layers: 14, classes: 1000, auxiliary: true, imagenet: true },
      new Rng(0),
    );
    assert.deepEqual(imagenet.parameterCount(), { params: 4718752, params_with_aux: 5979528 });
    imagenet.dispose();
  }));

test('CIFAR network: logits, and auxiliary logits only when training with the head', () =>
  onBackend('wasm', () => {
    const x = tf.randomNormal([3, 32, 32, 3]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    for (const auxiliary of [true, false]) {
      const net = new EvalNetwork(
        DARTS_V2,
        { C: 4, layers: 5, classes: 10, auxiliary, imagenet: false },
        new Rng(SEED),
      );
      const train = net.forward(x, { training: true, dropPathProb: 0.2, rng: new Rng(SEED) });
      assert.deepEqual(train.logits.shape, [3, 10]);
      assert.equal(train.aux?.shape.join(), auxiliary ? '3,10' : undefined);
      const test = net.forward(x, { training: false });
      assert.equal(test.aux, undefined);
      tf.dispose([train.logits, train.aux, test.logits].filter((t) => t) as tf.Tensor[]);
      const counts = net.parameterCount();
      assert.equal(counts.params_with_aux > counts.params, auxiliary);
      net.dispose();
    }
    assert.equal(tf.memory().numTensors, before);
    x.dispose();
  }));

test('ImageNet network: 224px input through two stride-2 stem stages to 1000 logits and the auxiliary head', () =>
  onBackend('wasm', () => {
    const net = new EvalNetwork(
      DARTS_V2,
      { C: 8, layers: 5, classes: 1000, auxiliary: true, imagenet: true },
      new Rng(SEED),
    );
    const x = tf.randomNormal([2, 224, 224, 3]) as tf.Tensor4D;
    const { logits, aux } = net.forward(x, { training: true, rng: new Rng(SEED) });
    assert.deepEqual(logits.shape, [2, 1000]);
    assert.deepEqual(aux!.shape, [2, 1000]);
    tf.dispose([x, logits, aux!]);
    net.dispose();
  }));

test(
  'drop-path zeroes whole samples with probability p and scales the kept ones by 1/(1-p); off, the forward is ' +
    'deterministic',
  () =>
    onBackend('wasm', () => {
      const x = tf.ones([400, 1, 1, 2]) as tf.Tensor4D;
      const y = dropPath(x, 0.25, new Rng(SEED)).dataSync();
      const kept = [...y].filter((v) => v !== 0);
      assert.ok(kept.every((v) => Math.abs(v - 1 / 0.75) < 1e-6));
      assert.ok(Math.abs(kept.length / y.length - 0.75) < 0.07, `seed ${SEED}: kept ${kept.length / y.length}`);
      const net = new EvalNetwork(
        DARTS_V2,
        { C: 4, layers: 3, classes: 10, auxiliary: false, imagenet: false },
        new Rng(SEED),
      );
      const img = tf.randomNormal([4, 16, 16, 3]) as tf.Tensor4D;
      const run = (p: number, seed: number) =>
        net.forward(img, { training: true, dropPathProb: p, rng: new Rng(seed) }).logits.dataSync();
      assert.deepEqual(run(0, 1), run(0, 2));
      assert.notDeepEqual(run(0.5, 1), run(0.5, 2));
      tf.dispose([x, img]);
      net.dispose();
    }),
);
