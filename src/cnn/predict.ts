// Classifying image files with a trained model: a run directory or model folder (TensorFlow.js), or an
// exported .onnx file (ONNX Runtime). Each image is decoded (PNG, JPEG, ...), resized and cropped and
// normalized as the model's training data was, and gets its top classes with their probabilities.
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { decodeImage, type ImageTransform } from '../data/image-folder.ts';
import { loadEvalNetwork } from './model-file.ts';
import { onnxLogits } from './onnx-check.ts';
import { onnxMetadata } from './onnx-export.ts';

export interface Prediction {
  image: string;
  top: { class: string; probability: number }[];
}

interface Predictor {
  classes: string[];
  input: ImageTransform;
  /** Logits [N, classes] of N normalized NHWC images. */
  logits(nhwc: Float32Array, n: number): Promise<Float32Array>;
  dispose(): void;
}

function onnxPredictor(path: string): Predictor {
  const bytes = readFileSync(path);
  const meta = onnxMetadata(bytes);
  if (!meta.classes || !meta.mean || !meta.std || !meta.input_size) throw new Error(`${path} has no EDNAS metadata (classes, mean, std, input size): export it with ednas export.`);
  const size = Number(meta.input_size);
  const input: ImageTransform = { size, mode: 'center', resize: Number(/resize the short side to (\d+)/.exec(meta.preprocessing ?? '')?.[1] ?? size), flip: false, mean: JSON.parse(meta.mean), std: JSON.parse(meta.std) };
  return {
    classes: JSON.parse(meta.classes), input,
    logits: async (nhwc, n) => {
      const nchw = tf.tidy(() => tf.transpose(tf.tensor4d(nhwc, [n, size, size, 3]), [0, 3, 1, 2]).dataSync() as Float32Array);
      return (await onnxLogits(bytes, nchw, [n, 3, size, size])).data;
    },
    dispose: () => {},
  };
}

function networkPredictor(path: string): Predictor {
  const model = loadEvalNetwork(path);
  const size = model.input.size;
  return {
    classes: model.classes, input: model.input,
    logits: async (nhwc, n) => {
      const logits = tf.tidy(() => model.network.forward(tf.tensor4d(nhwc, [n, size, size, 3]), { training: false }).logits);
      const values = (await logits.data()) as Float32Array;
      logits.dispose();
      return values;
    },
    dispose: () => model.network.dispose(),
  };
}

/** The top `k` classes of each image. */
export async function predictImages(model: string, images: string[], k = 5): Promise<Prediction[]> {
  const predictor = model.endsWith('.onnx') ? onnxPredictor(model) : networkPredictor(model);
  try {
    const t = { ...predictor.input, flip: false, mode: 'center' as const };
    const per = t.size * t.size * 3;
    const nhwc = new Float32Array(images.length * per);
    for (const [i, path] of images.entries()) {
      const { pixels } = await decodeImage(path, t);
      for (let p = 0; p < per; p++) nhwc[i * per + p] = (pixels[p] / 255 - t.mean[p % 3]) / t.std[p % 3];
    }
    const logits = await predictor.logits(nhwc, images.length);
    const K = predictor.classes.length;
    return images.map((image, i) => {
      const row = logits.subarray(i * K, (i + 1) * K);
      const max = Math.max(...row);
      const e = Array.from(row, (v) => Math.exp(v - max));
      const sum = e.reduce((a, b) => a + b, 0);
      const ranked = e.map((v, c) => ({ class: predictor.classes[c], probability: v / sum })).sort((a, b) => b.probability - a.probability);
      return { image, top: ranked.slice(0, k) };
    });
  } finally {
    predictor.dispose();
  }
}
