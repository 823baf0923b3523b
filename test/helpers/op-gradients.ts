// One operation's gradients for the backend comparisons (wasm and webgpu against cpu): a case, its seeded
// inputs (x, the output's weighting, every weight) and the gradients of sum(y * r), read asynchronously
// (webgpu has no synchronous read under Node).
import * as tf from '@tensorflow/tfjs';
import { OPS, type OpConfig, type OpName } from '../../src/space/ops.ts';
import { normals, rng } from './random.ts';

const B = 2;
const C = 4;

export interface OpCase {
  op: OpName;
  stride: 1 | 2;
  size: number;
  affine: boolean;
}

export const opCaseName = (c: OpCase) => `${c.op} stride ${c.stride} size ${c.size}${c.affine ? ' affine' : ''}`;

const config = (c: OpCase): OpConfig => ({ C, stride: c.stride, affine: c.affine, poolBatchNorm: !c.affine });

/** The case's inputs from `seed`: x, the output's weighting, then every weight. */
export function opCaseData(c: OpCase, seed: number): Float32Array[] {
  const next = rng(seed);
  const out = Math.ceil(c.size / c.stride);
  return [
    normals(B * c.size * c.size * C, next),
    normals(B * out * out * C, next),
    ...Object.values(OPS[c.op].weightShapes(config(c))).map((s) =>
      normals(
        s.reduce((a, b) => a * b, 1),
        next,
      ),
    ),
  ];
}

/** The case's loss sum(op(x) * r) as a function of x and every weight (tensors), and its input shapes. */
function opLossFunction(c: OpCase, r: Float32Array) {
  const cfg = config(c);
  const shapes = OPS[c.op].weightShapes(cfg);
  const names = Object.keys(shapes);
  const f = (xx: tf.Tensor, ...w: tf.Tensor[]) => {
    const y = OPS[c.op].forward(xx as tf.Tensor4D, Object.fromEntries(names.map((n, i) => [n, w[i]])), cfg);
    return tf.sum(tf.mul(y, tf.tensor(r, y.shape))) as tf.Scalar;
  };
  return { f, shapes: [[B, c.size, c.size, C], ...names.map((n) => shapes[n])] };
}

/** sum(op(x) * r) for the case's inputs (x, r, then every weight), on the current (synchronous) backend. */
export function opLoss(c: OpCase, data: Float32Array[]): number {
  const [xData, rData, ...wData] = data;
  const { f, shapes } = opLossFunction(c, rData);
  return tf.tidy(() => {
    const [x, ...ws] = [xData, ...wData].map((d, i) => tf.tensor(d, shapes[i]));
    return f(x, ...ws).dataSync()[0];
  });
}

/** Gradients of sum(op(x) * r) with respect to x and every weight, on the current backend. */
export async function opGradients(c: OpCase, data: Float32Array[]): Promise<Float32Array[]> {
  const [xData, rData, ...wData] = data;
  const { f, shapes } = opLossFunction(c, rData);
  const grads = tf.tidy(() => tf.grads(f)([xData, ...wData].map((d, i) => tf.tensor(d, shapes[i]))));
  const out = await Promise.all(grads.map((g) => g.data() as Promise<Float32Array>));
  tf.dispose(grads);
  return out;
}
