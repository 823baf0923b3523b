// A whole evaluation training in a run directory: manifest, epochs.csv, checkpoints, the genotype, and the
// final model in TensorFlow.js' weights format (model/model.json + model/weights.bin).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { from } from 'arquero';
import { initBackend } from '../backend/select.ts';
import { readCifar10 } from '../data/cifar10.ts';
import { resolveCifar10 } from '../data/locate.ts';
import { EVAL_AUGMENTATION, NO_AUGMENTATION } from '../data/augment.ts';
import { subset } from '../data/image-set.ts';
import { imageFolderSource, imageSetSource, type BatchSource } from '../data/source.ts';
import { IMAGENET_EVAL, IMAGENET_TRAIN, scanImageFolder } from '../data/image-folder.ts';
import { DataError } from '../data/errors.ts';
import type { Genotype } from '../space/genotype.ts';
import { writeCheckpoint, restoreCheckpoint, readCheckpointFile } from './checkpoint.ts';
import { replaceDirAtomic, writeFileAtomic } from './atomic.ts';
import { openRunDir, resumedDataDir, startManifest, trainInRunDir, writeGenotype, type Manifest, type RunOptions } from './run-dir.ts';
import { Evaluation, type EvalEpochRecord, type EvalEvent, type EvalState } from './evaluation.ts';
import type { EvalConfig } from './eval-config.ts';
import type { DataFile } from '../data/cifar10.ts';

const FORMAT = 'ednas-eval-checkpoint';

export interface RunEvaluateOptions extends RunOptions<EvalEvent, EvalEpochRecord> {
  genotype: Genotype;
  config: EvalConfig;
}

export interface EvaluateResult {
  dir: string;
  evaluation: Evaluation;
  manifest: Manifest;
  params: { params: number; params_with_aux: number };
}

function loadSource(config: EvalConfig, data?: string): { source: BatchSource; dir: string; origin: string; files: DataFile[] } {
  if (config.imagenet) {
    if (!data) throw new DataError('the imagenet preset needs --data DIR holding train/<class>/*.jpg and val/<class>/*.jpg.');
    const source = imageFolderSource(scanImageFolder(join(data, 'train')), scanImageFolder(join(data, 'val')), IMAGENET_TRAIN, IMAGENET_EVAL);
    return { source, dir: data, origin: 'given', files: [] };
  }
  const located = resolveCifar10(data);
  const cifar = readCifar10(located.dir);
  const take = (n: number | undefined, count: number) => Int32Array.from({ length: Math.min(n ?? count, count) }, (_, i) => i);
  const train = config.trainLimit ? subset(cifar.train, take(config.trainLimit, cifar.train.count)) : cifar.train;
  const test = config.testLimit ? subset(cifar.test, take(config.testLimit, cifar.test.count)) : cifar.test;
  const aug = { ...EVAL_AUGMENTATION, cutout: config.cutout };
  return { source: imageSetSource(train, test, config.cutout || aug.cropPadding ? aug : NO_AUGMENTATION), dir: cifar.dir, origin: located.source, files: cifar.files };
}

/** The trained weights in TensorFlow.js' weights format, with the genotype and config to rebuild the net. */
export function saveModel(dir: string, evaluation: Evaluation): void {
  const entries = [...evaluation.network.weights.entries()];
  const data = new Float32Array(entries.reduce((n, [, v]) => n + v.size, 0));
  let offset = 0;
  for (const [, v] of entries) {
    data.set(v.dataSync() as Float32Array, offset);
    offset += v.size;
  }
  replaceDirAtomic(dir, (tmp) => {
    writeFileSync(join(tmp, 'weights.bin'), new Uint8Array(data.buffer));
    writeFileSync(join(tmp, 'model.json'), JSON.stringify({
      format: 'ednas-eval-network', generatedBy: `ednas`, genotype: evaluation.genotype, network: evaluation.network.config,
      weightsManifest: [{ paths: ['weights.bin'], weights: entries.map(([name, v]) => ({ name, shape: v.shape, dtype: 'float32' })) }],
    }, null, 1));
  });
}

export async function runEvaluate(o: RunEvaluateOptions): Promise<EvaluateResult> {
  const checkpointDir = join(o.out, 'checkpoint');
  const { config, manifest: previous } = openRunDir(o, o.config, () => readCheckpointFile<EvalState, EvalConfig>(checkpointDir, FORMAT).config);
  const backend = await initBackend();
  const { source, dir, origin, files } = loadSource(config, resumedDataDir(o, previous));
  const evaluation = new Evaluation(o.genotype, config, source);
  if (o.resume) {
    const { state, momentum } = restoreCheckpoint<EvalState, EvalConfig>(checkpointDir, FORMAT, evaluation.network.weights);
    evaluation.sgd.replaceBuffers(momentum);
    evaluation.restoreState(state);
  }
  const params = evaluation.network.parameterCount();
  const manifest = startManifest(previous, () => ({
    kind: 'evaluate', command: o.command ?? 'ednas evaluate', preset: o.preset, seed: config.seed,
    data: { dir, source: origin, files }, started: new Date().toISOString(),
  }), config, backend);
  writeGenotype(o.out, o.genotype);
  const finished = await trainInRunDir(o, evaluation, config.epochs, manifest, () => {
    writeCheckpoint(checkpointDir, { format: FORMAT, config, weights: evaluation.network.weights, momentum: evaluation.sgd.buffers, state: () => evaluation.state() });
    writeFileAtomic(join(o.out, 'epochs.csv'), from(evaluation.epochs).toCSV());
  }, async () => {
    saveModel(join(o.out, 'model'), evaluation);
    const last = evaluation.epochs.at(-1);
    return { test_acc: last?.test_acc, test_top5: last?.test_top5, ...params, epochs: evaluation.epoch };
  });
  return { dir: o.out, evaluation, manifest: finished, params };
}
