// The raw kernels this project adds (wasm) and the dilated depthwise gradient (every backend):
// wasm equals cpu within 1e-4 relative error over strides, dilations, kernel sizes, 'same' and explicit
// padding, odd and even sizes, batch > 1; and both equal finite differences on small shapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { onBackend } from '../helpers/backends.ts';
import { SEED, normals, relativeError, rng } from '../helpers/random.ts';
import { WASM_TRAINING_KERNELS, registerMissingWasmKernels } from '../../src/backend/kernels/register.ts';

type Pad = 'same' | 'valid' | number;
interface DwCase {
  k: number;
  d: number;
  s: number;
  pad: Pad;
  size: number;
  C: number;
  M: number;
}

const outSize = (n: number, c: { k: number; d: number; s: number; pad: Pad }) => {
  const e = c.d * (c.k - 1) + 1;
  if (c.pad === 'same') return Math.ceil(n / c.s);
  if (c.pad === 'valid') return Math.ceil((n - e + 1) / c.s);
  return Math.floor((n + 2 * c.pad - e) / c.s) + 1;
};

/** Gradients of sum(depthwiseConv2d(x, w) * r) with respect to x and w. */
function depthwiseGrads(c: DwCase, B: number, [x, w, r]: Float32Array[]): Float32Array[] {
  return tf.tidy(() => {
    const o = outSize(c.size, c);
    const f = (xx: tf.Tensor, ww: tf.Tensor) =>
      tf.sum(
        tf.mul(
          tf.depthwiseConv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, c.s, c.pad, 'NHWC', c.d),
          tf.tensor(r, [B, o, o, c.C * c.M]),
        ),
      );
    return tf
      .grads(f)([tf.tensor4d(x, [B, c.size, c.size, c.C]), tf.tensor4d(w, [c.k, c.k, c.C, c.M])])
      .map((g) => g.dataSync() as Float32Array);
  });
}

function depthwiseData(c: DwCase, B: number, seed: number): Float32Array[] {
  const next = rng(seed);
  const o = outSize(c.size, c);
  return [
    normals(B * c.size * c.size * c.C, next),
    normals(c.k * c.k * c.C * c.M, next),
    normals(B * o * o * c.C * c.M, next),
  ];
}

const dwCases: DwCase[] = [];
for (const k of [3, 5])
  for (const d of [1, 2])
    for (const s of [1, 2])
      for (const pad of ['same', (d * (k - 1)) / 2] as Pad[])
        for (const size of [7, 8]) {
          if (d > 1 && s > 1) continue; // tfjs' forward pass refuses stride and dilation together
          dwCases.push({ k, d, s, pad, size, C: 3, M: 1 });
        }
dwCases.push(
  { k: 3, d: 1, s: 2, pad: 'valid', size: 9, C: 2, M: 2 },
  { k: 3, d: 2, s: 1, pad: 'same', size: 8, C: 2, M: 3 },
);

for (const [i, c] of dwCases.entries()) {
  const name = `depthwise k${c.k} dilation ${c.d} stride ${c.s} pad ${c.pad} size ${c.size} multiplier ${c.M}`;
  test(`${name}: wasm gradients equal cpu`, async () => {
    const data = depthwiseData(c, 2, SEED + i);
    const ref = await onBackend('cpu', () => depthwiseGrads(c, 2, data));
    const got = await onBackend('wasm', () => depthwiseGrads(c, 2, data));
    for (const k of [0, 1]) {
      const err = relativeError(got[k], ref[k]);
      assert.ok(
        err < 1e-4,
        `${k ? 'filter' : 'input'} gradient: relative error ${err.toExponential(2)} (EDNAS_TEST_SEED=${SEED})`,
      );
    }
  });
}

/** Central differences of a function that is linear in each argument: exact up to float32 rounding. */
function finiteDifference(f: (xs: Float32Array[]) => number, xs: Float32Array[], which: number): Float32Array {
  const g = new Float32Array(xs[which].length);
  for (let i = 0; i < g.length; i++) {
    const v = xs[which][i];
    xs[which][i] = v + 1;
    const up = f(xs);
    xs[which][i] = v - 1;
    const down = f(xs);
    xs[which][i] = v;
    g[i] = (up - down) / 2;
  }
  return g;
}

const fdCases: DwCase[] = [
  { k: 3, d: 1, s: 1, pad: 'same', size: 5, C: 2, M: 1 },
  { k: 3, d: 1, s: 2, pad: 'same', size: 6, C: 2, M: 1 },
  { k: 5, d: 2, s: 1, pad: 4, size: 5, C: 2, M: 1 },
  { k: 3, d: 2, s: 1, pad: 'same', size: 6, C: 1, M: 2 },
];
for (const backend of ['wasm', 'cpu'] as const) {
  for (const [i, c] of fdCases.entries()) {
    const title = `depthwise k${c.k} dilation ${c.d} stride ${c.s} on ${backend}: gradients equal finite differences`;
    test(title, async () => {
      const data = depthwiseData(c, 1, SEED + 100 + i);
      await onBackend(backend, () => {
        const o = outSize(c.size, c);
        const loss = ([x, w, r]: Float32Array[]) =>
          tf.tidy(
            () =>
              tf
                .sum(
                  tf.mul(
                    tf.depthwiseConv2d(
                      tf.tensor4d(x, [1, c.size, c.size, c.C]),
                      tf.tensor4d(w, [c.k, c.k, c.C, c.M]),
                      c.s,
                      c.pad,
                      'NHWC',
                      c.d,
                    ),
                    tf.tensor(r, [1, o, o, c.C * c.M]),
                  ),
                )
                .dataSync()[0],
          );
        const analytic = depthwiseGrads(c, 1, data);
        for (const k of [0, 1]) {
          const err = relativeError(analytic[k], finiteDifference(loss, data, k));
          assert.ok(
            err < 1e-3,
            `${k ? 'filter' : 'input'} gradient vs finite differences: ${err.toExponential(2)} ` +
              `(EDNAS_TEST_SEED=${SEED})`,
          );
        }
      });
    });
  }
}

interface ConvCase {
  k: number;
  s: number;
  pad: Pad;
  size: number;
  Ci: number;
  Co: number;
}
const convCases: ConvCase[] = [
  { k: 1, s: 1, pad: 'valid', size: 8, Ci: 5, Co: 6 },
  { k: 1, s: 2, pad: 'valid', size: 7, Ci: 4, Co: 4 },
  { k: 1, s: 2, pad: 'valid', size: 8, Ci: 4, Co: 2 },
  { k: 3, s: 1, pad: 'same', size: 7, Ci: 3, Co: 8 },
  { k: 3, s: 2, pad: 'same', size: 8, Ci: 3, Co: 4 },
  { k: 3, s: 1, pad: 1, size: 6, Ci: 2, Co: 3 },
];
for (const [i, c] of convCases.entries()) {
  test(
    `conv2d ${c.k}x${c.k} stride ${c.s} pad ${c.pad} size ${c.size}: wasm filter gradient equals cpu and finite ` +
      `differences`,
    async () => {
      const next = rng(SEED + 200 + i);
      const o = outSize(c.size, { k: c.k, d: 1, s: c.s, pad: c.pad });
      const data = [
        normals(2 * c.size * c.size * c.Ci, next),
        normals(c.k * c.k * c.Ci * c.Co, next),
        normals(2 * o * o * c.Co, next),
      ];
      const y = (x: tf.Tensor, w: tf.Tensor, r: Float32Array) =>
        tf.sum(tf.mul(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.s, c.pad), tf.tensor(r, [2, o, o, c.Co])));
      const grads = () =>
        tf.tidy(() =>
          tf
            .grads((x: tf.Tensor, w: tf.Tensor) => y(x, w, data[2]))([
              tf.tensor4d(data[0], [2, c.size, c.size, c.Ci]),
              tf.tensor4d(data[1], [c.k, c.k, c.Ci, c.Co]),
            ])
            .map((g) => g.dataSync() as Float32Array),
        );
      const ref = await onBackend('cpu', grads);
      const got = await onBackend('wasm', grads);
      const fd = await onBackend('wasm', () =>
        finiteDifference(
          ([x, w, r]) =>
            tf.tidy(
              () =>
                y(tf.tensor4d(x, [2, c.size, c.size, c.Ci]), tf.tensor4d(w, [c.k, c.k, c.Ci, c.Co]), r).dataSync()[0],
            ),
          data,
          1,
        ),
      );
      for (const k of [0, 1]) {
        const err = relativeError(got[k], ref[k]);
        assert.ok(
          err < 1e-4,
          `${k ? 'filter' : 'input'} gradient: relative error ${err.toExponential(2)} (EDNAS_TEST_SEED=${SEED})`,
        );
      }
      assert.ok(relativeError(got[1], fd) < 1e-3, `filter gradient vs finite differences (EDNAS_TEST_SEED=${SEED})`);
    },
  );
}

test("kernels are registered only where missing, never over a backend's own", async () => {
  await onBackend('wasm', () => {
    for (const config of WASM_TRAINING_KERNELS) {
      assert.equal(tf.getKernel(config.kernelName, 'wasm'), config, `${config.kernelName} is ours on wasm`);
      assert.notEqual(tf.getKernel(config.kernelName, 'cpu'), config, `${config.kernelName} on cpu stays cpu's`);
    }
    assert.deepEqual(registerMissingWasmKernels(), [], 'a second registration adds nothing');
    assert.ok(tf.getKernel('Conv2DBackpropInput', 'wasm'), 'wasm keeps its own Conv2DBackpropInput');
    assert.ok(!WASM_TRAINING_KERNELS.some((k) => k.kernelName === 'Conv2DBackpropInput'));
  });
});
