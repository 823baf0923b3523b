// The trained evaluation network as a file set anyone can load again: model.json (genotype, network
// settings, the class names and how an image becomes an input: size, crop, normalization) and the weights
// and batch-norm running statistics in TensorFlow.js' weights format (weights.bin, buffers.bin).
import * as tf from '@tensorflow/tfjs';
import type { Variable } from '@tensorflow/tfjs';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../random/rng.ts';
import { validateGenotype, type Genotype } from '../space/genotype.ts';
import { EvalNetwork, type EvalNetworkConfig } from '../network/eval-network.ts';
import type { ImageTransform } from '../data/image-folder.ts';
import { replaceDirAtomic } from '../io/atomic.ts';
import { readJson } from '../io/json.ts';

export const MODEL_FORMAT = 'ednas-eval-network';

interface WeightGroup {
  paths: string[];
  weights: { name: string; shape: number[]; dtype: 'float32' }[];
}

export interface ModelFile {
  format: typeof MODEL_FORMAT;
  version: 2;
  generatedBy: string;
  genotype: Genotype;
  network: EvalNetworkConfig;
  /** Class names in label order. */
  classes: string[];
  /** An image becomes an input as at test time: resized and cropped to size x size, then normalized. */
  input: ImageTransform;
  weightsManifest: WeightGroup[];
}

export class ModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelError';
  }
}

function pack(map: Map<string, Variable>, path: string): { group: WeightGroup; bytes: Uint8Array } {
  const entries = [...map.entries()];
  const data = new Float32Array(entries.reduce((n, [, v]) => n + v.size, 0));
  let offset = 0;
  for (const [, v] of entries) {
    data.set(v.dataSync() as Float32Array, offset);
    offset += v.size;
  }
  return {
    group: { paths: [path], weights: entries.map(([name, v]) => ({ name, shape: v.shape, dtype: 'float32' })) },
    bytes: new Uint8Array(data.buffer),
  };
}

export function saveModel(dir: string, network: EvalNetwork, o: { classes: string[]; input: ImageTransform }): void {
  const weights = pack(network.weights, 'weights.bin');
  const buffers = pack(network.buffers, 'buffers.bin');
  const file: ModelFile = {
    format: MODEL_FORMAT,
    version: 2,
    generatedBy: 'ednas',
    genotype: network.genotype,
    network: network.config,
    classes: o.classes,
    input: o.input,
    weightsManifest: [weights.group, buffers.group],
  };
  replaceDirAtomic(dir, (tmp) => {
    writeFileSync(join(tmp, 'weights.bin'), weights.bytes);
    writeFileSync(join(tmp, 'buffers.bin'), buffers.bytes);
    writeFileSync(join(tmp, 'model.json'), JSON.stringify(file, null, 1));
  });
}

/** The model folder of a path: the folder itself, a run directory's model/, or a pipeline's evaluate/model/. */
export function modelDir(path: string): string {
  for (const dir of [path, join(path, 'model'), join(path, 'evaluate', 'model')])
    if (existsSync(join(dir, 'model.json'))) return dir;
  throw new ModelError(
    `no trained model at ${path}: expected model.json there, in ${join(path, 'model')} or ` +
      `in ${join(path, 'evaluate', 'model')} (a finished ednas evaluate or ednas run).`,
  );
}

export interface LoadedModel {
  network: EvalNetwork;
  genotype: Genotype;
  classes: string[];
  input: ImageTransform;
  dir: string;
}

/** A trained evaluation network from its model folder (or a run directory), ready for inference. */
export function loadEvalNetwork(path: string): LoadedModel {
  const dir = modelDir(path);
  const file = readJson<ModelFile>(join(dir, 'model.json'), 'the model description');
  if (file.format !== MODEL_FORMAT)
    throw new ModelError(`${join(dir, 'model.json')} is not an EDNAS model (format ${JSON.stringify(file.format)}).`);
  if (file.version !== 2 || !file.input || !file.classes) {
    throw new ModelError(
      `${join(dir, 'model.json')} is a model of an earlier version, without running statistics or input ` +
        `description: train it again with ednas evaluate.`,
    );
  }
  const network = new EvalNetwork(validateGenotype(file.genotype), { ...file.network, auxiliary: false }, new Rng(0));
  const targets = new Map([...network.weights, ...network.buffers]);
  try {
    for (const group of file.weightsManifest) {
      const raw = readFileSync(join(dir, group.paths[0]));
      const values = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
      let offset = 0;
      for (const w of group.weights) {
        const size = w.shape.reduce((a, b) => a * b, 1);
        const target = targets.get(w.name);
        if (!target && w.name.startsWith('auxiliary.')) {
          offset += size;
          continue;
        }
        if (!target || target.shape.join() !== w.shape.join() || offset + size > values.length) {
          throw new ModelError(
            `${join(dir, group.paths[0])}: weight ${w.name} ${JSON.stringify(w.shape)} does not fit the network ` +
              `model.json describes; the model is damaged.`,
          );
        }
        const t = tf.tensor(values.slice(offset, offset + size), w.shape);
        target.assign(t);
        t.dispose();
        offset += size;
      }
    }
  } catch (e) {
    network.dispose();
    throw e;
  }
  return { network, genotype: network.genotype, classes: file.classes, input: file.input, dir };
}
