// The recurrent task's windows spread over a worker pool: each worker takes a share of the parallel token
// streams (columns of every window), so a window's gradients and losses come from all cores at once.
import type { Variable } from '@tensorflow/tfjs';
import type { Rng } from '../random/rng.ts';
import type { RnnGenotype } from '../space/rnn-genotype.ts';
import type { Sgd } from '../train/sgd.ts';
import { shardRows, type WorkerPool } from '../train/parallel/pool.ts';
import { addSums, parallelSgdStep } from '../train/parallel/step.ts';
import { nextLength } from './loss.ts';
import type { BpttStream } from './stream.ts';
import type { RnnTraining } from './config.ts';

function shardsOf(stream: BpttStream, length: number, pool: WorkerPool) {
  const { shards, length: T, fresh } = stream.nextShards(length, shardRows(stream.data.batchSize, pool.size));
  return { T, fresh, shards: shards.map((s) => ({ arrays: { x: { data: s.x, shape: s.shape }, y: { data: s.y, shape: s.shape } } })) };
}

/** trainWindow on the workers: the window's length and every worker's dropout seed drawn from `rng`. */
export async function trainWindowParallel(pool: WorkerPool, sgd: Sgd, weights: Map<string, Variable>, stream: BpttStream, key: string, genotype: RnnGenotype, c: RnnTraining, rng: Rng, lr: number): Promise<number> {
  const { T, fresh, shards } = shardsOf(stream, nextLength(c, rng), pool);
  const seed = rng.int(2 ** 31);
  const sums = await parallelSgdStep(pool, sgd, weights, 'train', shards.map((s, k) => ({ ...s, args: { seed: seed + k } })), [...weights.keys()], (lr * T) / c.bptt, {
    args: { genotype, key, fresh, training: c },
  });
  return sums.loss / sums.rows;
}

/** The mean cross-entropy per token of the next window of `stream` (no dropout, no gradients). */
export async function windowLossParallel(pool: WorkerPool, stream: BpttStream, key: string, genotype: RnnGenotype): Promise<number> {
  const { fresh, shards } = shardsOf(stream, stream.bptt, pool);
  const sums = addSums(await pool.run('loss', shards, { args: { genotype, key, fresh } }));
  return sums.loss / sums.rows;
}
