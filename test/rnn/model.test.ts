import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../src/random/rng.ts';
import { RnnModel, type RnnDropout } from '../../src/rnn/model.ts';
import { DARTS_V2_RNN } from '../../src/space/rnn-genotype.ts';
import { tokenLoss } from '../../src/rnn/loss.ts';
import { sparseCrossEntropy } from '../../src/backend/ops.ts';
import { onBackend } from '../helpers/backends.ts';
import { relativeError, SEED } from '../helpers/random.ts';

const V = 23,
  H = 8,
  T = 6,
  B = 3;
const tokens = (rng: Rng, t = T) =>
  tf.tensor2d(
    Int32Array.from({ length: t * B }, () => rng.int(V)),
    [t, B],
    'int32',
  );

test('shapes: logits [T*B, V] and the last hidden state [B, H]', () =>
  onBackend('wasm', () => {
    const model = new RnnModel({ vocabulary: V, hidden: H }, new Rng(SEED));
    const x = tokens(new Rng(1));
    const { logits, hidden } = model.forward(x, model.initHidden(B), DARTS_V2_RNN);
    assert.deepEqual(logits.shape, [T * B, V]);
    assert.deepEqual(hidden.shape, [B, H]);
    tf.dispose([x, logits, hidden]);
    model.dispose();
  }));

test('truncated BPTT: two windows with the state carried equal one long window', () =>
  onBackend('wasm', () => {
    const model = new RnnModel({ vocabulary: V, hidden: H }, new Rng(SEED));
    const x = tokens(new Rng(2), 2 * T);
    const h0 = model.initHidden(B);
    const whole = model.forward(x, h0, DARTS_V2_RNN);
    const first = model.forward(x.slice([0, 0], [T, B]), h0, DARTS_V2_RNN);
    const second = model.forward(x.slice([T, 0], [T, B]), first.hidden, DARTS_V2_RNN);
    const joined = tf.concat([first.logits, second.logits]);
    assert.ok(relativeError(joined.dataSync(), whole.logits.dataSync()) < 1e-5);
    assert.ok(relativeError(second.hidden.dataSync(), whole.hidden.dataSync()) < 1e-5);
    // A different start state changes the second window: the state really is carried.
    const fresh = model.forward(x.slice([T, 0], [T, B]), h0, DARTS_V2_RNN);
    assert.ok(relativeError(fresh.logits.dataSync(), second.logits.dataSync()) > 1e-3);
    tf.dispose([
      x,
      h0,
      whole.logits,
      whole.hidden,
      first.logits,
      first.hidden,
      second.logits,
      second.hidden,
      joined,
      fresh.logits,
      fresh.hidden,
    ]);
    model.dispose();
  }));

/** Loss and gradients of every weight for one window with all dropouts on. */
function lossAndGrads(seed: number) {
  const model = new RnnModel({ vocabulary: V, hidden: H }, new Rng(seed));
  const rng = new Rng(seed + 1);
  const x = tokens(rng),
    y = tokens(rng);
  const dropout: RnnDropout = { output: 0.3, hidden: 0.2, x: 0.2, input: 0.1, embedding: 0.1 };
  const names = [...model.weights.keys()];
  const { value, grads } = tf.variableGrads(
    () => {
      const { logits, hidden } = model.forward(x, model.initHidden(B), DARTS_V2_RNN, dropout, new Rng(seed + 2));
      hidden.dispose();
      return tokenLoss(logits, y);
    },
    names.map((n) => model.weights.get(n)!),
  );
  const out = {
    loss: value.dataSync()[0],
    grads: names.map((n) => grads[model.weights.get(n)!.name].dataSync() as Float32Array),
  };
  tf.dispose([x, y, value, ...Object.values(grads)]);
  model.dispose();
  return out;
}

test('loss and gradients (embedding, tied decoder, cell, dropouts) agree on wasm and cpu', async () => {
  const wasm = await onBackend('wasm', () => lossAndGrads(SEED));
  const cpu = await onBackend('cpu', () => lossAndGrads(SEED));
  assert.ok(Math.abs(wasm.loss - cpu.loss) < 1e-5, `${wasm.loss} vs ${cpu.loss}`);
  wasm.grads.forEach((g, k) => {
    assert.ok(relativeError(g, cpu.grads[k]) < 1e-4, `weight ${k}: ${relativeError(g, cpu.grads[k])}`);
  });
  assert.ok(
    wasm.grads[0].some((v) => v !== 0),
    'the embedding gets a gradient (gather and decoder)',
  );
});

test(
  'sparse cross-entropy equals softmax cross-entropy with one-hot labels, value and gradient (wasm, odd ' +
    'vocabulary)',
  () =>
    onBackend('wasm', () => {
      const rng = new Rng(SEED);
      const N = 5,
        Vs = 13;
      const logits = tf.tensor2d(
        Float32Array.from({ length: N * Vs }, () => 8 * rng.normal()),
        [N, Vs],
      );
      const labels = tf.tensor1d(
        Int32Array.from({ length: N }, () => rng.int(Vs)),
        'int32',
      );
      const ours = tf.valueAndGrad((l: tf.Tensor) => sparseCrossEntropy(l as tf.Tensor2D, labels))(logits);
      const ref = tf.valueAndGrad(
        (l: tf.Tensor) => tf.losses.softmaxCrossEntropy(tf.oneHot(labels, Vs), l) as tf.Scalar,
      )(logits);
      assert.ok(Math.abs(ours.value.dataSync()[0] - ref.value.dataSync()[0]) < 1e-5);
      assert.ok(relativeError(ours.grad.dataSync(), ref.grad.dataSync()) < 1e-5);
      tf.dispose([logits, labels, ours.value, ours.grad, ref.value, ref.grad]);
    }),
);

test("the evaluation model has DARTS' 23M parameters at hidden 850 with the 10k vocabulary", () =>
  onBackend('cpu', () => {
    const model = new RnnModel({ vocabulary: 10000, hidden: 850 }, new Rng(0));
    // embedding 10000x850 (tied decoder) + W0 1700x1700 + 8 x 850x1700 + decoder bias 10000
    assert.equal(model.parameterCount(), 8_500_000 + 2_890_000 + 11_560_000 + 10_000);
    model.dispose();
  }));
