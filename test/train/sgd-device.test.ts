// The SGD step without readback (clipping computed where the gradients are, as on webgpu) updates weights
// and momentum exactly as the step that reads the norm back, with and without clipping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Sgd } from '../../src/train/sgd.ts';
import { onBackend } from '../helpers/backends.ts';
import { SEED, normals, relativeError, rng } from '../helpers/random.ts';

for (const gradClip of [0.5, 100]) {
  test(`stepOnDevice equals step (gradClip ${gradClip})`, () =>
    onBackend('cpu', async () => {
      const next = rng(SEED);
      const shapes: Record<string, number[]> = { a: [3, 4], b: [5] };
      const init = Object.fromEntries(
        Object.entries(shapes).map(([n, s]) => [
          n,
          normals(
            s.reduce((x, y) => x * y, 1),
            next,
          ),
        ]),
      );
      const gradData = [0, 1].map(() =>
        Object.fromEntries(
          Object.entries(shapes).map(([n, s]) => [
            n,
            normals(
              s.reduce((x, y) => x * y, 1),
              next,
            ),
          ]),
        ),
      );
      const run = async (onDevice: boolean) => {
        const weights = new Map(Object.entries(shapes).map(([n, s]) => [n, tf.variable(tf.tensor(init[n], s))]));
        const sgd = new Sgd({ momentum: 0.9, nesterov: true, weightDecay: 3e-4, gradClip }, weights);
        const norms: number[] = [];
        for (const g of gradData) {
          const grads = Object.fromEntries(Object.entries(g).map(([n, v]) => [n, tf.tensor(v, shapes[n])]));
          if (onDevice) {
            const norm = sgd.stepOnDevice(weights, grads, 0.1);
            norms.push((await norm.data())[0]);
            norm.dispose();
          } else {
            norms.push(sgd.step(weights, grads, 0.1));
          }
          tf.dispose(Object.values(grads));
        }
        const out = {
          norms,
          values: [...weights.values()].map((w) => w.dataSync() as Float32Array),
          buffers: [...sgd.buffers.values()].map((b) => b.dataSync() as Float32Array),
        };
        sgd.dispose();
        tf.dispose([...weights.values()]);
        return out;
      };
      const ref = await run(false);
      const got = await run(true);
      got.norms.forEach((n, k) => {
        assert.ok(Math.abs(n - ref.norms[k]) < 1e-5 * ref.norms[k], `norm ${n} vs ${ref.norms[k]}`);
      });
      got.values.forEach((v, k) => {
        assert.ok(relativeError(v, ref.values[k]) < 1e-6, `weight ${k}`);
      });
      got.buffers.forEach((v, k) => {
        assert.ok(relativeError(v, ref.buffers[k]) < 1e-6, `momentum ${k}`);
      });
    }));
}
