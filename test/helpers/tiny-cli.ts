// The smallest runs and networks the command-line tests train or export: seconds, not minutes.
import * as tf from '@tensorflow/tfjs';
import { EvalNetwork } from '../../src/network/eval-network.ts';
import { Rng } from '../../src/random/rng.ts';
import { validateGenotype } from '../../src/space/genotype.ts';

/** A `--set` option for each KEY=VALUE. */
export const setOptions = (...settings: string[]): string[] => settings.flatMap((s) => ['--set', s]);

/** `--set` options of a search on 200 images with tiny cells, a few steps an epoch, at least one policy step. */
export const TINY_SEARCH_SETS = setOptions(
  'limit=200',
  'weightSteps=2',
  'policySteps=1',
  'C=2',
  'layers=3',
  'policyBatchSize=16',
);

/** An evaluation network of parameter-free operations (pools and skips) on the cpu backend. */
export async function tinyNetwork(): Promise<EvalNetwork> {
  await tf.setBackend('cpu');
  const ops = ['skip_connect', 'max_pool_3x3', 'skip_connect', 'avg_pool_3x3'];
  const pairs = [...ops, ...ops].map((op, k) => [op, k % 2]);
  const genotype = validateGenotype({
    normal: pairs,
    reduce: pairs,
    normal_concat: [2, 3, 4, 5],
    reduce_concat: [2, 3, 4, 5],
  });
  return new EvalNetwork(genotype, { C: 2, layers: 3, classes: 10, auxiliary: false, imagenet: false }, new Rng(1));
}
