// The recurrent task's windows spread over a worker pool: each worker takes a share of the parallel token
// streams (columns of every window), so a window's gradients and losses come from all cores at once.
import type { Rng } from '../random/rng.ts';
import type { RnnGenotype } from '../space/rnn-genotype.ts';
import { shardRows, type WorkerPool } from '../train/parallel/pool.ts';
import type { PoolMeasure, PoolSgd } from '../train/step.ts';
import { nextLength } from './loss.ts';
import type { BpttStream } from './stream.ts';
import type { RnnTraining } from './config.ts';

function shardsOf(stream: BpttStream, length: number, pool: WorkerPool) {
  const { shards, length: T, fresh } = stream.nextShards(length, shardRows(stream.data.batchSize, pool.size));
  return {
    T,
    fresh,
    shards: shards.map((s) => ({ arrays: { x: { data: s.x, shape: s.shape }, y: { data: s.y, shape: s.shape } } })),
  };
}

/** windowStep on the workers: the window's length and every worker's dropout seed drawn from `rng`. */
export function windowPoolStep(
  pool: WorkerPool,
  stream: BpttStream,
  key: string,
  names: string[],
  genotype: RnnGenotype,
  c: RnnTraining,
  rng: Rng,
  lr: number,
): PoolSgd<number> {
  const { T, fresh, shards } = shardsOf(stream, nextLength(c, rng), pool);
  const seed = rng.int(2 ** 31);
  return {
    step: 'train',
    shards: shards.map((s, k) => ({ ...s, args: { seed: seed + k } })),
    names,
    lr: (lr * T) / c.bptt,
    args: { genotype, key, fresh, training: c },
    result: (sums) => sums.loss / sums.rows,
  };
}

/** windowLoss on the workers: the mean cross-entropy per token of the next window (no dropout, no gradients). */
export function windowPoolLoss(
  pool: WorkerPool,
  stream: BpttStream,
  key: string,
  genotype: RnnGenotype,
): PoolMeasure<number> {
  const { fresh, shards } = shardsOf(stream, stream.bptt, pool);
  return { step: 'loss', shards, args: { genotype, key, fresh }, result: (sums) => sums.loss / sums.rows };
}
