// An exported ONNX model checked against the TensorFlow.js network it came from, with ONNX Runtime
// (onnxruntime-node, when installed): the same images through both, the top-1 class compared image by
// image and the largest difference of the logits.
import * as tf from '@tensorflow/tfjs';
import type { EvalNetwork } from '../network/eval-network.ts';

export interface OnnxAgreement {
  images: number;
  /** Images whose top-1 class is the same in both. */
  agree: number;
  maxAbsDiff: number;
}

/** ONNX Runtime for Node, or a clear error saying how to get it. */
export async function onnxRuntime(): Promise<typeof import('onnxruntime-node')> {
  try {
    return await import('onnxruntime-node');
  } catch {
    throw new Error(
      'ONNX Runtime is not installed: npm install onnxruntime-node (its CPU binaries are in the package; its ' +
        'install script is not needed).',
    );
  }
}

/** Logits of NCHW float32 images through an ONNX model. */
export async function onnxLogits(
  model: Uint8Array,
  nchw: Float32Array,
  dims: [number, number, number, number],
): Promise<{ data: Float32Array; classes: number }> {
  const ort = await onnxRuntime();
  const session = await ort.InferenceSession.create(model);
  try {
    const out = await session.run({ input: new ort.Tensor('float32', nchw, dims) });
    const logits = out.logits;
    return { data: logits.data as Float32Array, classes: Number(logits.dims[1]) };
  } finally {
    await session.release();
  }
}

/** x: NHWC images as the network takes them. */
export async function checkOnnx(model: Uint8Array, network: EvalNetwork, x: tf.Tensor4D): Promise<OnnxAgreement> {
  const [N, H, W, C] = x.shape;
  const nchw = tf.tidy(() => tf.transpose(x, [0, 3, 1, 2])).dataSync() as Float32Array;
  const theirs = await onnxLogits(model, nchw, [N, C, H, W]);
  const ours = tf.tidy(() => network.forward(x, { training: false }).logits).dataSync() as Float32Array;
  const K = theirs.classes;
  let agree = 0;
  let maxAbsDiff = 0;
  for (let i = 0; i < N; i++) {
    let a = 0,
      b = 0;
    for (let k = 0; k < K; k++) {
      const o = ours[i * K + k],
        t = theirs.data[i * K + k];
      maxAbsDiff = Math.max(maxAbsDiff, Math.abs(o - t));
      if (o > ours[i * K + a]) a = k;
      if (t > theirs.data[i * K + b]) b = k;
    }
    if (a === b) agree++;
  }
  return { images: N, agree, maxAbsDiff };
}
