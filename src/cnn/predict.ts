// Classifying image files with a trained model: a run directory or model folder (TensorFlow.js), or an
// exported .onnx file (ONNX Runtime). Each image is decoded (PNG, JPEG, ...), resized and cropped and
// normalized as the model's training data was, and gets its top classes with their probabilities.
import * as tf from '@tensorflow/tfjs';
import { readFileSync, statSync } from 'node:fs';
import { decodeImage, type ImageTransform } from '../data/image-folder.ts';
import { loadEvalNetwork, ModelError } from './model-file.ts';
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

const AGAIN = 'export it again with ednas export';

/** The EDNAS metadata of an .onnx file, or an error naming the file (never the protobuf decoder's internals). */
function readOnnxInput(path: string, bytes: Uint8Array): { classes: string[]; input: ImageTransform } {
  let meta: Record<string, string>;
  try {
    meta = onnxMetadata(bytes);
  } catch {
    throw new ModelError(`${path} is not a readable ONNX model (the file is damaged or of another kind): ${AGAIN}.`);
  }
  if (!meta.classes || !meta.mean || !meta.std || !meta.input_size) {
    throw new ModelError(`${path} has no EDNAS metadata (classes, mean, std, input size): export it with ednas export`);
  }
  try {
    const size = Number(meta.input_size);
    const resize = Number(/resize the short side to (\d+)/.exec(meta.preprocessing ?? '')?.[1] ?? size);
    const [mean, std] = [JSON.parse(meta.mean), JSON.parse(meta.std)];
    const input: ImageTransform = { size, mode: 'center', resize, flip: false, mean, std };
    const classes: unknown = JSON.parse(meta.classes);
    const numbers = (v: unknown) => Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number');
    const names = Array.isArray(classes) && classes.every((c) => typeof c === 'string');
    if (!Number.isInteger(size) || size < 1 || !numbers(mean) || !numbers(std) || !names) throw new Error();
    return { classes, input };
  } catch {
    throw new ModelError(`${path}: its EDNAS metadata (classes, mean, std, input size) is damaged: ${AGAIN}.`);
  }
}

function onnxPredictor(path: string): Predictor {
  if (statSync(path).isDirectory()) {
    throw new ModelError(`${path} is a folder, not an .onnx file; give the file ednas export wrote, or a run folder`);
  }
  const bytes = readFileSync(path);
  const { classes, input } = readOnnxInput(path, bytes);
  const size = input.size;
  return {
    classes,
    input,
    logits: async (nhwc, n) => {
      const nchw = tf.tidy(
        () => tf.transpose(tf.tensor4d(nhwc, [n, size, size, 3]), [0, 3, 1, 2]).dataSync() as Float32Array,
      );
      let out: { data: Float32Array; classes: number };
      try {
        out = await onnxLogits(bytes, nchw, [n, 3, size, size]);
      } catch (e) {
        const why = (e as Error).message.split('\n')[0].slice(0, 200);
        throw new ModelError(`${path}: ONNX Runtime cannot run it (${why}): ${AGAIN}.`);
      }
      if (out.classes !== classes.length) {
        const names = `its metadata names ${classes.length} classes`;
        throw new ModelError(`${path} gives ${out.classes} outputs but ${names}: the file is damaged; ${AGAIN}.`);
      }
      return out.data;
    },
    dispose: () => {},
  };
}

function networkPredictor(path: string): Predictor {
  const model = loadEvalNetwork(path);
  if (model.classes.length !== model.network.config.classes) {
    model.network.dispose();
    const names = `model.json names ${model.classes.length} classes`;
    const outputs = `a network of ${model.network.config.classes} outputs`;
    throw new ModelError(`${model.dir}: ${names} for ${outputs}: the model is damaged.`);
  }
  const size = model.input.size;
  return {
    classes: model.classes,
    input: model.input,
    logits: async (nhwc, n) => {
      const logits = tf.tidy(
        () => model.network.forward(tf.tensor4d(nhwc, [n, size, size, 3]), { training: false }).logits,
      );
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
      // NaN or infinite outputs have no probabilities: damaged weights, never a prediction.
      if (!row.every(Number.isFinite)) {
        throw new ModelError(
          `${model}: the outputs for ${image} are not finite numbers (NaN or infinity): ` +
            "the model's weights are damaged; train or export it again.",
        );
      }
      const max = Math.max(...row);
      const e = Array.from(row, (v) => Math.exp(v - max));
      const sum = e.reduce((a, b) => a + b, 0);
      const ranked = e
        .map((v, c) => ({ class: predictor.classes[c], probability: v / sum }))
        .sort((a, b) => b.probability - a.probability);
      return { image, top: ranked.slice(0, k) };
    });
  } finally {
    predictor.dispose();
  }
}
