// Every EDNAS operation (both strides, dilation 1 and 2, kernel 3 and 5, affine or not) and the recurrent
// language model (cell, tied decoder, dropouts) on the webgpu
// backend (the software adapter in CI): gradients equal those of the reference cpu backend within 1e-3
// relative error. Read asynchronously: the webgpu backend has no synchronous read under Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { OP_NAMES } from '../../src/space/ops.ts';
import { initBackend } from '../../src/backend/select.ts';
import { noWebGpu } from '../helpers/webgpu.ts';
import { Rng } from '../../src/random/rng.ts';
import { RnnModel, type RnnDropout } from '../../src/rnn/model.ts';
import { DARTS_V2_RNN } from '../../src/space/rnn-genotype.ts';
import { tokenLoss } from '../../src/rnn/loss.ts';
import { SEED, normals, relativeError, rng } from '../helpers/random.ts';
import { opCaseData, opCaseName, opGradients, type OpCase } from '../helpers/op-gradients.ts';

const cases: OpCase[] = [];
for (const op of OP_NAMES)
  for (const stride of [1, 2] as const) cases.push({ op, stride, size: stride === 1 ? 6 : 7, affine: false });
cases.push(
  { op: 'sep_conv_3x3', stride: 1, size: 6, affine: true },
  { op: 'dil_conv_5x5', stride: 2, size: 7, affine: true },
);

test("every operation's gradients on webgpu equal cpu's", { skip: noWebGpu }, async (t) => {
  for (const [i, c] of cases.entries()) {
    await t.test(opCaseName(c), async () => {
      const data = opCaseData(c, SEED + i);
      await initBackend('cpu');
      const ref = await opGradients(c, data);
      await initBackend('webgpu');
      assert.equal(tf.getBackend(), 'webgpu');
      const got = await opGradients(c, data);
      assert.equal(got.length, data.length - 1);
      got.forEach((g, k) => {
        const err = relativeError(g, ref[k]);
        assert.ok(
          err < 1e-3,
          `gradient ${k} differs: relative error ${err.toExponential(2)} (EDNAS_TEST_SEED=${SEED})`,
        );
      });
    });
  }
});

/** Loss and gradients of every weight of the recurrent language model for one window, all dropouts on. */
async function rnnLossAndGrads(seed: number): Promise<{ loss: number; grads: Float32Array[] }> {
  const V = 23,
    T = 6,
    Bt = 3;
  const model = new RnnModel({ vocabulary: V, hidden: 8 }, new Rng(seed));
  const rng = new Rng(seed + 1);
  const tokens = () =>
    tf.tensor2d(
      Int32Array.from({ length: T * Bt }, () => rng.int(V)),
      [T, Bt],
      'int32',
    );
  const x = tokens(),
    y = tokens();
  const dropout: RnnDropout = { output: 0.3, hidden: 0.2, x: 0.2, input: 0.1, embedding: 0.1 };
  const names = [...model.weights.keys()];
  const { value, grads } = tf.variableGrads(
    () => {
      const { logits, hidden } = model.forward(x, model.initHidden(Bt), DARTS_V2_RNN, dropout, new Rng(seed + 2));
      hidden.dispose();
      return tokenLoss(logits, y);
    },
    names.map((n) => model.weights.get(n)!),
  );
  const out = {
    loss: (await value.data())[0],
    grads: await Promise.all(names.map((n) => grads[model.weights.get(n)!.name].data() as Promise<Float32Array>)),
  };
  tf.dispose([x, y, value, ...Object.values(grads)]);
  model.dispose();
  return out;
}

test("the recurrent cell and language model: loss and gradients on webgpu equal cpu's", {
  skip: noWebGpu,
}, async () => {
  await initBackend('cpu');
  const ref = await rnnLossAndGrads(SEED);
  await initBackend('webgpu');
  const got = await rnnLossAndGrads(SEED);
  assert.ok(Math.abs(got.loss - ref.loss) < 1e-3 * Math.abs(ref.loss), `${got.loss} vs ${ref.loss}`);
  got.grads.forEach((g, k) => {
    const err = relativeError(g, ref.grads[k]);
    assert.ok(err < 1e-3, `weight ${k}: relative error ${err.toExponential(2)} (EDNAS_TEST_SEED=${SEED})`);
  });
});

test("addN of more terms than a shader binds (tfjs' webgpu kernel is wrapped) equals cpu's", {
  skip: noWebGpu,
}, async () => {
  const next = rng(SEED);
  const terms = Array.from({ length: 19 }, () => normals(6, next));
  const sum = async () => {
    const t = tf.addN(terms.map((v) => tf.tensor(v, [2, 3])));
    const out = (await t.data()) as Float32Array;
    t.dispose();
    return out;
  };
  await initBackend('cpu');
  const ref = await sum();
  await initBackend('webgpu');
  const err = relativeError(await sum(), ref);
  assert.ok(err < 1e-5, `relative error ${err}`);
});
