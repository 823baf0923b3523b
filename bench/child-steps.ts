// The measurement both `supernet` (Node) and `browser` (a page) make: the weight and policy steps of one
// fixed supernet child on random data, each kind first taken --warmup times untimed. Reaches no Node built-in,
// so the bench page bundles it.
import * as tf from '@tensorflow/tfjs';
import type { Genotype } from '../src/space/genotype.ts';
import { Search } from '../src/cnn/search.ts';
import { PAPER_SEARCH } from '../src/cnn/search-config.ts';
import { makeBatch } from '../src/data/batches.ts';
import { Rng } from '../src/random/rng.ts';

/** The options of the setting, the same in both benches (parseArgs' form; values are strings). */
export const STEP_OPTIONS = {
  channels: { type: 'string', default: '8' },
  layers: { type: 'string', default: '5' },
  batch: { type: 'string', default: '32' },
  size: { type: 'string', default: '32' },
  steps: { type: 'string', default: '10' },
  warmup: { type: 'string', default: '20' },
} as const;

/** C channels, L layers, B images a batch of S x S. */
export interface StepSetting {
  C: number;
  L: number;
  B: number;
  S: number;
  steps: number;
  warmup: number;
}

export const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];

/** The steps' medians (ms, warm-up left out) and every weight step's loss; W: the search's workers. */
export async function timeChildSteps(genotype: Genotype, s: StepSetting, W: number) {
  const { C, L, B, S, steps, warmup } = s;
  const rng = new Rng(0);
  const images = Uint8Array.from({ length: B * S * S * 3 }, () => rng.int(256));
  const labels = Uint8Array.from({ length: B }, (_, i) => i % 10);
  const classes = [...Array(10).keys()].map(String);
  const set = { name: 'random', images, labels, count: B, height: S, width: S, channels: 3, classes };
  const config = { ...PAPER_SEARCH, C, layers: L, batchSize: B, policyBatchSize: B, policyFraction: 0.5 };
  const search = new Search(config, set, { workers: W });
  const batch = makeBatch(set, [...Array(B).keys()]);
  const child = { genotype, draws: [], logProb: 0, entropy: 0 };
  const time = async (f: () => Promise<unknown>) => {
    const t = performance.now();
    await f();
    return performance.now() - t;
  };
  const tensorsBefore = tf.memory().numTensors;
  const weight: number[] = [];
  const policy: number[] = [];
  const losses: number[] = [];
  const weightStep = async () => losses.push((await search.weightStep(batch, child)).loss);
  for (let i = 0; i < warmup + steps; i++) weight.push(await time(weightStep));
  for (let i = 0; i < warmup + steps; i++) policy.push(await time(() => search.policyStep(batch, child)));
  weight.splice(0, warmup);
  policy.splice(0, warmup);
  const workers = search.workers;
  const tensor_leak = tf.memory().numTensors - tensorsBefore;
  tf.dispose([batch.x, batch.y]);
  search.dispose();
  const row = {
    weight_step_ms: +median(weight).toFixed(2),
    policy_step_ms: +median(policy).toFixed(2),
    train_images_per_s: +((B / median(weight)) * 1000).toFixed(1),
    tensor_leak,
  };
  return { workers, losses, row };
}
