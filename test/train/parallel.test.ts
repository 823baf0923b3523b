// Data-parallel training on worker threads: a batch's gradients from W=2 workers equal W=1's on a network
// without batch norm; SGD steps over the pool match steps in this thread; a worker that throws or dies ends
// the step with an error naming it; searches with W=2 repeat themselves and resume exactly; no worker
// thread outlives its pool, its search or an aborted run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { liveTrainingWorkers, shardRows, WorkerPool, WorkerFailedError } from '../../src/train/parallel/pool.ts';
import { parallelSgdStep, rowShards } from '../../src/train/parallel/step.ts';
import { Sgd, sgdStep } from '../../src/train/sgd.ts';
import { Search } from '../../src/cnn/search.ts';
import { runSearch } from '../../src/cnn/run.ts';
import { loadCheckpoint, saveCheckpoint } from '../../src/rundir/checkpoint.ts';
import { Rng } from '../../src/random/rng.ts';
import { onBackend } from '../helpers/backends.ts';
import { assertAbortsAt } from '../helpers/abort.ts';
import { SEED } from '../helpers/random.ts';
import { TINY_RNN_EVAL, TINY_SEARCH, tinyImages } from '../helpers/tiny.ts';
import { tempDir, writeCifarFixture, writePtbFixture } from '../helpers/fixtures.ts';
import { runEvaluate } from '../../src/cnn/run.ts';
import { PAPER_EVAL_CIFAR } from '../../src/cnn/eval-config.ts';
import { randomGenotype } from '../../src/policy/sample.ts';
import { readPtb } from '../../src/data/ptb.ts';
import { RnnEvaluation } from '../../src/rnn/evaluation.ts';
import { RnnSearch } from '../../src/rnn/search.ts';
import { PAPER_RNN_SEARCH } from '../../src/rnn/config.ts';
import { DARTS_V2_RNN } from '../../src/space/rnn-genotype.ts';
import { MLP, mlpLoss, mlpWeights } from '../helpers/mlp-replica.ts';

const MODULE = new URL('../helpers/mlp-replica.ts', import.meta.url).href;
const ROWS = 21; // shards of 11 and 10 rows: unequal shares are weighed by their rows

function batch(seed: number) {
  const rng = new Rng(seed);
  const x = Float32Array.from({ length: ROWS * MLP.inputs }, () => rng.normal());
  const y = Int32Array.from({ length: ROWS }, () => rng.int(MLP.classes));
  return { x: { data: x, shape: [ROWS, MLP.inputs] as [number, number] }, y: { data: y, shape: [ROWS] as [number] } };
}

/** Waits (at most 5 s) for the worker threads of closed pools to end. */
async function noLiveWorkers(what: string): Promise<void> {
  for (let t = 0; t < 200 && liveTrainingWorkers() > 0; t++) await new Promise((r) => setTimeout(r, 25));
  assert.equal(liveTrainingWorkers(), 0, `${what}: no training worker thread left`);
}

const relativeDiff = (a: Float32Array | number[], b: Float32Array | number[]) => {
  let num = 0,
    den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / den;
};

test("W=2 gradients equal W=1 gradients and this thread's, relative 1e-5, without batch norm", () =>
  onBackend('wasm', async () => {
    const master = mlpWeights(SEED);
    const names = [...master.keys()];
    const arrays = batch(SEED);
    const gradsWith = async (size: number) => {
      const pool = await WorkerPool.start({ size, module: MODULE, args: {}, master });
      try {
        const results = await pool.run('loss', rowShards(shardRows(ROWS, size), arrays), { grads: names });
        assert.deepEqual(
          results.map((r) => r.sums.rows),
          size === 2 ? [11, 10] : [21],
        );
        const g = pool.reduceGrads(
          names,
          results.map((r) => r.sums.rows / ROWS),
        );
        const out = Object.fromEntries(names.map((n) => [n, g[n].dataSync() as Float32Array]));
        tf.dispose(Object.values(g));
        return out;
      } finally {
        await pool.close();
      }
    };
    const one = await gradsWith(1),
      two = await gradsWith(2);
    const x = tf.tensor(arrays.x.data, arrays.x.shape) as tf.Tensor2D,
      y = tf.tensor(arrays.y.data, arrays.y.shape, 'int32') as tf.Tensor1D;
    const here = tf.variableGrads(
      () => mlpLoss(master, x, y),
      names.map((n) => master.get(n)!),
    );
    for (const n of names) {
      const h = here.grads[master.get(n)!.name].dataSync() as Float32Array;
      assert.ok(relativeDiff(two[n], one[n]) <= 1e-5, `${n}: W=2 against W=1 ${relativeDiff(two[n], one[n])}`);
      assert.ok(relativeDiff(one[n], h) <= 1e-5, `${n}: W=1 against this thread ${relativeDiff(one[n], h)}`);
    }
    tf.dispose([x, y, here.value, ...Object.values(here.grads), ...master.values()]);
    await noLiveWorkers('after close');
  }));

test('SGD steps over two workers follow the same weights as steps in this thread', () =>
  onBackend('wasm', async () => {
    const here = mlpWeights(SEED),
      there = mlpWeights(SEED);
    const names = [...here.keys()];
    const sgdHere = new Sgd({ momentum: 0.9, nesterov: false, weightDecay: 3e-4, gradClip: 5 }, here);
    const sgdThere = new Sgd({ momentum: 0.9, nesterov: false, weightDecay: 3e-4, gradClip: 5 }, there);
    const pool = await WorkerPool.start({ size: 2, module: MODULE, args: {}, master: there });
    try {
      for (let s = 0; s < 4; s++) {
        const arrays = batch(SEED + s);
        const x = tf.tensor(arrays.x.data, arrays.x.shape) as tf.Tensor2D,
          y = tf.tensor(arrays.y.data, arrays.y.shape, 'int32') as tf.Tensor1D;
        const loss = sgdStep(sgdHere, here, names, () => mlpLoss(here, x, y), 0.1);
        const sums = await parallelSgdStep(
          pool,
          sgdThere,
          there,
          'loss',
          rowShards(shardRows(ROWS, 2), arrays),
          names,
          0.1,
        );
        assert.ok(
          Math.abs(sums.loss / sums.rows - loss) <= 1e-5 * Math.abs(loss),
          `step ${s}: loss ${sums.loss / sums.rows} against ${loss}`,
        );
        tf.dispose([x, y]);
      }
      for (const n of names) {
        const d = relativeDiff(there.get(n)!.dataSync() as Float32Array, here.get(n)!.dataSync() as Float32Array);
        assert.ok(d <= 1e-5, `${n} after 4 steps: ${d}`);
      }
    } finally {
      await pool.close();
      sgdHere.dispose();
      sgdThere.dispose();
      tf.dispose([...here.values(), ...there.values()]);
    }
  }));

test('a worker that throws or dies ends the step with an error naming it, never a hang', { timeout: 60_000 }, () =>
  onBackend('wasm', async () => {
    const master = mlpWeights(SEED);
    for (const [fail, cause] of [
      ['throw', /training worker 1 failed: Error: a deliberate failure/],
      ['exit', /training worker 1 failed: it stopped \(exit code 3\)/],
    ] as const) {
      const pool = await WorkerPool.start({ size: 2, module: MODULE, args: {}, master });
      const shards = rowShards(shardRows(ROWS, 2), batch(SEED));
      await pool.run('loss', shards, { grads: ['w1'] });
      shards[1].args = { fail };
      await assert.rejects(
        pool.run('loss', shards, { grads: ['w1'] }),
        (e: Error) => e instanceof WorkerFailedError && cause.test(e.message),
        fail,
      );
      // The pool stays failed: the next step is refused at once with the same error.
      shards[1].args = {};
      await assert.rejects(pool.run('loss', shards, { grads: ['w1'] }), cause);
      await pool.close();
      await noLiveWorkers(`after a worker's ${fail}`);
    }
    tf.dispose([...master.values()]);
  }),
);

// Batches of 16 images: two shards of 8, the smallest the default spreads.
const searchConfig = { ...TINY_SEARCH, seed: SEED, epochs: 3, batchSize: 16, policyBatchSize: 16 };
const images = tinyImages(96, SEED);

test(
  'a search with W=2 repeats itself exactly and resumes ' + 'exactly from a checkpoint; disposing it ends its threads',
  () =>
    onBackend('wasm', async () => {
      const run = async (epochs: number, from?: string) => {
        const search = new Search(searchConfig, images, { workers: 2 });
        if (from) loadCheckpoint(from, search);
        while (search.epoch < epochs) await search.runEpoch();
        const out = {
          steps: search.steps,
          logits: [...search.policy.logits],
          weights: [...search.supernet.weights.values()].map((w) => [...(w.dataSync() as Float32Array)]),
        };
        return { search, out };
      };
      const a = await run(3),
        b = await run(3);
      assert.equal(a.search.workers, 2);
      assert.deepEqual(b.out, a.out, 'the same seed and W: the same architectures, metrics, policy and weights');
      a.search.dispose();
      b.search.dispose();
      const dir = join(tempDir(), 'checkpoint');
      const first = await run(1);
      saveCheckpoint(dir, first.search);
      first.search.dispose();
      const resumed = await run(3, dir);
      assert.deepEqual(resumed.out, a.out, 'resumed after epoch 1: the same run');
      resumed.search.dispose();
      await noLiveWorkers('after dispose');
    }),
);

test('an aborted search run (Ctrl-C) leaves no worker thread behind', () =>
  onBackend('wasm', async () => {
    const search = new Search(searchConfig, images, { workers: 2 });
    await assertAbortsAt(2, (o) => search.runEpoch(o));
    assert.ok(liveTrainingWorkers() >= 2, 'the workers were running');
    search.dispose();
    await noLiveWorkers('after an aborted epoch');
    const out = join(tempDir(), 'run');
    await assertAbortsAt(3, (o) => runSearch({ config: { ...searchConfig, limit: 200 }, out, workers: 2, ...o }));
    await noLiveWorkers('after an aborted runSearch');
  }));

test(
  'evaluation training with W=2: the test counts over the workers; a resumed run equals the whole one; the ' +
    'manifest records W',
  () =>
    onBackend('wasm', async () => {
      const root = tempDir();
      const data = join(root, 'data');
      writeCifarFixture(data, 1, 40, SEED);
      const genotype = randomGenotype(new Rng(SEED));
      const config = {
        ...PAPER_EVAL_CIFAR,
        seed: SEED,
        C: 2,
        layers: 3,
        epochs: 2,
        batchSize: 8,
        testBatchSize: 10,
        trainLimit: 24,
        testLimit: 20,
      };
      const whole = await runEvaluate({ genotype, config, out: join(root, 'whole'), data, workers: 2 });
      assert.equal(whole.manifest.workers, 2);
      assert.ok(
        whole.evaluation.epochs.every((e) => e.test_acc >= 0 && e.test_acc <= 1 && Number.isFinite(e.train_loss)),
      );
      whole.evaluation.dispose();
      const first = await runEvaluate({
        genotype,
        config: { ...config, epochs: 1 },
        out: join(root, 'split'),
        data,
        workers: 2,
      });
      first.evaluation.dispose();
      const rest = await runEvaluate({ genotype, config, out: join(root, 'split'), resume: true });
      assert.equal(rest.manifest.workers, 2, 'a resumed run keeps its W');
      const strip = (rows: { wall_s: number; images_per_s: number }[]) =>
        rows.map(({ wall_s, images_per_s, ...r }) => r);
      assert.deepEqual(strip(rest.evaluation.epochs), strip(whole.evaluation.epochs));
      rest.evaluation.dispose();
      await noLiveWorkers('after the evaluations');
    }),
);

const ptb = readPtb(writePtbFixture(tempDir(), SEED));

test(
  'recurrent training over two workers (streams split between them) follows training in this thread; the search ' +
    'repeats itself',
  () =>
    onBackend('wasm', async () => {
      // No dropout and fixed windows: W=2 differs from W=1 only in the order of float sums.
      const config = { ...TINY_RNN_EVAL, seed: SEED, epochs: 1, variableBptt: false };
      const train = async (workers: number) => {
        const ev = new RnnEvaluation(DARTS_V2_RNN, config, { ...ptb, vocabulary: ptb.vocabulary.size }, { workers });
        const r = await ev.runEpoch();
        ev.dispose();
        return r;
      };
      const one = await train(1),
        two = await train(2);
      assert.ok(
        Math.abs(two.train_loss - one.train_loss) <= 1e-4 * one.train_loss,
        `train loss ${two.train_loss} against ${one.train_loss}`,
      );
      assert.ok(
        Math.abs(two.valid_loss - one.valid_loss) <= 1e-4 * one.valid_loss,
        `valid loss ${two.valid_loss} against ${one.valid_loss}`,
      );
      const searchConfig = {
        ...PAPER_RNN_SEARCH,
        seed: SEED,
        hidden: 8,
        epochs: 2,
        batchSize: 4,
        bptt: 5,
        policyBatchSize: 4,
        policyLr: 0.05,
        weightSteps: 4,
        policySteps: 3,
      };
      const search = async () => {
        const s = new RnnSearch(searchConfig, ptb.train, ptb.vocabulary.size, { workers: 2 });
        while (s.epoch < 2) await s.runEpoch();
        const out = { steps: s.steps, logits: [...s.policy.logits] };
        s.dispose();
        return out;
      };
      assert.deepEqual(await search(), await search());
      await noLiveWorkers('after the recurrent runs');
    }),
);
