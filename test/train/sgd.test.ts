import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Sgd } from '../../src/train/sgd.ts';
import { onBackend } from '../helpers/backends.ts';
import { SEED, normals, relativeError, rng } from '../helpers/random.ts';

const CONFIG = { momentum: 0.9, nesterov: true, weightDecay: 3e-4, gradClip: 5 };

/** Three steps on two weights with fixed gradients; returns the weights after each step and the norms. */
function run(backend: 'wasm' | 'cpu', w0: Float32Array[], g: Float32Array[], shapes: number[][]) {
  return onBackend(backend, () => {
    const weights = new Map(w0.map((v, k) => [`w${k}`, tf.variable(tf.tensor(v, shapes[k]))]));
    const sgd = new Sgd(CONFIG, weights);
    const grads = Object.fromEntries(g.map((v, k) => [`w${k}`, tf.tensor(v, shapes[k])]));
    const out: number[][] = [];
    const norms: number[] = [];
    for (let s = 0; s < 3; s++) {
      norms.push(sgd.step(weights, s === 1 ? { w0: grads.w0 } : grads, 0.05));
      out.push([...weights.values()].flatMap((v) => [...v.dataSync()]));
    }
    tf.dispose([...weights.values(), ...Object.values(grads)]);
    sgd.dispose();
    return { out, norms };
  });
}

test(
  'the fused SIMD step (wasm) equals the tfjs-ops step (cpu): ' + 'clipping, decay, Nesterov momentum, skipped weights',
  async () => {
    const next = rng(SEED);
    const shapes = [[3, 5], [7]];
    const w0 = shapes.map((s) =>
      normals(
        s.reduce((a, b) => a * b),
        next,
      ),
    );
    const g = shapes.map((s) =>
      normals(
        s.reduce((a, b) => a * b),
        next,
      ).map((v) => 3 * v),
    ); // norm > 5: clipped
    const [a, b] = [await run('wasm', w0, g, shapes), await run('cpu', w0, g, shapes)];
    a.out.forEach((v, s) => {
      assert.ok(relativeError(v, b.out[s]) < 1e-6, `seed ${SEED} step ${s}`);
    });
    a.norms.forEach((n, s) => {
      assert.ok(Math.abs(n - b.norms[s]) / b.norms[s] < 1e-5);
    });
    // Step 2 had no gradient for w1: it did not move.
    assert.deepEqual(a.out[1].slice(15), a.out[0].slice(15));
    // By hand, first element, first step (torch.optim.SGD after clip_grad_norm_).
    const scale = 5 / (a.norms[0] + 1e-6);
    const d = g[0][0] * scale + 3e-4 * w0[0][0];
    const want = w0[0][0] - 0.05 * (d + 0.9 * d);
    assert.ok(Math.abs(a.out[0][0] - want) < 1e-5, `${a.out[0][0]} vs ${want}`);
  },
);
