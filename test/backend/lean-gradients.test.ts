// The lean backward pass: the same gradients as tfjs' own (a cell of every operation, shared inputs,
// gradients passed straight through, higher order), no tensors left behind, and a lower memory peak.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { withTfjsGradients } from '../../src/backend/lean-gradients.ts';
import { OPS, OP_NAMES, type OpConfig } from '../../src/space/ops.ts';
import { onBackend } from '../helpers/backends.ts';

const cfg: OpConfig = { C: 4, stride: 1, affine: true, poolBatchNorm: true };

/** Every operation on the same input, summed, then every operation in a chain: one tensor feeding many nodes, and
 * depth.
 */
function network() {
  const weights = OP_NAMES.map((op) =>
    Object.fromEntries(
      Object.entries(OPS[op].weightShapes(cfg)).map(([n, s]) => [
        n,
        tf.variable(tf.randomNormal(s, 0, 0.3, 'float32', 7)),
      ]),
    ),
  );
  const x = tf.randomNormal([3, 8, 8, 4], 0, 1, 'float32', 11) as tf.Tensor4D;
  const loss = () =>
    tf.tidy(() => {
      const h = tf.relu(x);
      const sum = tf.addN(OP_NAMES.map((op, i) => OPS[op].forward(h, weights[i], cfg)));
      // Each operation in its own tidy, as the networks run them: the forward keeps only what the backward needs.
      const deep = OP_NAMES.reduce(
        (t, op, i) => tf.tidy(() => OPS[op].forward(t, weights[i], cfg)),
        tf.mul(sum, sum) as tf.Tensor4D,
      );
      return tf.mean(tf.square(deep));
    }) as tf.Scalar;
  return { weights, x, loss, dispose: () => tf.dispose([x, ...weights.flatMap((w) => Object.values(w))]) };
}

for (const backend of ['wasm', 'cpu'] as const) {
  test(`${backend}: the lean pass gives tfjs' gradients for every operation, leaves no tensor, and peaks lower`, () =>
    onBackend(backend, async () => {
      const net = network();
      const vars = net.weights.flatMap((w) => Object.values(w));
      const run = () => {
        const before = tf.memory().numTensors;
        let peak = 0;
        const r = tf.variableGrads(() => {
          const l = net.loss();
          peak = tf.memory().numBytes;
          return l;
        }, vars);
        const grads = vars.map((v) => r.grads[v.name].arraySync());
        tf.dispose([r.value, ...Object.values(r.grads)]);
        assert.equal(tf.memory().numTensors, before, 'no tensors left');
        return { grads, peak };
      };
      const lean = run();
      const tfjs = withTfjsGradients(run);
      assert.deepEqual(lean.grads, tfjs.grads, 'the same arithmetic, the same gradients');
      // The backward pass's peak: the most bytes held after any kernel that follows the forward's.
      const forward = (
        await tf.profile(() => {
          net.loss().dispose();
        })
      ).kernels.length;
      const profile = () =>
        tf.profile(() => {
          tf.dispose(tf.variableGrads(net.loss, vars).grads);
        });
      const backwardPeak = async (p: ReturnType<typeof profile>) =>
        Math.max(...(await p).kernels.slice(forward).map((k) => k.totalBytesSnapshot));
      const leanPeak = await backwardPeak(profile());
      const tfjsPeak = await backwardPeak(withTfjsGradients(profile));
      assert.ok(leanPeak < 0.75 * tfjsPeak, `backward peak ${leanPeak} bytes against tfjs' ${tfjsPeak}`);
      net.dispose();
    }));
}

test('a gradient passed straight through, an input used twice, a caller dy kept, second derivatives', () =>
  onBackend('wasm', () => {
    const through = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
      save([x]);
      return { value: tf.mul(x, 2), gradFunc: (dy: tf.Tensor) => [dy] };
    }) as unknown as Parameters<typeof tf.customGrad>[0]);
    const x = tf.tensor1d([1, 2, 3]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(through(v) as tf.Tensor, v)))(x);
    // The custom gradient hands dy on unchanged: the lean pass must not free it under the caller.
    assert.deepEqual(
      g.arraySync(),
      withTfjsGradients(() =>
        tf
          .grad((v: tf.Tensor) => tf.sum(tf.mul(through(v) as tf.Tensor, v)))(x)
          .arraySync(),
      ),
    );
    const dy = tf.tensor1d([1, 1, 1]);
    const [gx] = tf.grads((v: tf.Tensor) => tf.mul(v, v))([x], dy);
    assert.deepEqual(gx.arraySync(), [2, 4, 6]);
    assert.equal(dy.isDisposed, false, "the caller's dy is the caller's");
    const second = tf.grad((v: tf.Tensor) => tf.sum(tf.grad((u: tf.Tensor) => tf.sum(tf.pow(u, 3)))(v)))(x);
    assert.deepEqual(second.arraySync(), [6, 12, 18], 'd2/dx2 x^3 = 6x');
    tf.dispose([x, g, dy, gx, second]);
  }));
