import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { readPtb } from '../../src/data/ptb.ts';
import { RnnEvaluation } from '../../src/rnn/evaluation.ts';
import { WeightAverage } from '../../src/rnn/asgd.ts';
import type { RnnEvalConfig } from '../../src/rnn/config.ts';
import { DARTS_V2_RNN } from '../../src/space/rnn-genotype.ts';
import { windowLength } from '../../src/rnn/stream.ts';
import { Rng } from '../../src/random/rng.ts';
import { onBackend } from '../helpers/backends.ts';
import { tempDir, writePtbFixture } from '../helpers/fixtures.ts';
import { SEED } from '../helpers/random.ts';
import { TINY_RNN_EVAL } from '../helpers/tiny.ts';

const ptb = readPtb(writePtbFixture(tempDir(), SEED));
const data = { ...ptb, vocabulary: ptb.vocabulary.size };
const config: RnnEvalConfig = { ...TINY_RNN_EVAL, seed: SEED, epochs: 3 };

test('weight averaging: the mean of the weights after each averaged step; evaluation swaps it in and back', () =>
  onBackend('wasm', async () => {
    const w = new Map([['a', tf.variable(tf.tensor1d([1, 2]))]]);
    const avg = new WeightAverage();
    const seen: number[][] = [];
    for (const v of [
      [1, 2],
      [3, 6],
      [8, 1],
    ]) {
      w.get('a')!.assign(tf.tensor1d(v));
      seen.push(v);
      avg.update(w);
    }
    assert.deepEqual([...avg.means.get('a')!.dataSync()], [4, 3]);
    const inside = await avg.withAveraged(w, async () => [...w.get('a')!.dataSync()]);
    assert.deepEqual(inside, [4, 3]);
    assert.deepEqual([...w.get('a')!.dataSync()], [8, 1], 'the trained weights are back');
    avg.dispose();
    w.get('a')!.dispose();
  }));

test('training a recurrent cell: perplexity falls; averaging starts at averageFrom and tracks the steps', () =>
  onBackend('wasm', async () => {
    const ev = new RnnEvaluation(DARTS_V2_RNN, { ...config, averageFrom: 3, variableBptt: false }, data);
    const tensors = tf.memory().numTensors;
    const e1 = await ev.runEpoch();
    assert.equal(tf.memory().numTensors, tensors, 'no tensors leak in an epoch');
    await ev.runEpoch();
    assert.equal(ev.average.count, 0);
    const e3 = await ev.runEpoch();
    assert.equal(e3.averaging, true);
    assert.equal(ev.average.count, Math.ceil((Math.floor(600 / 4) - 1) / 6), 'one average update per step of epoch 3');
    assert.ok(e3.valid_ppl < e1.valid_ppl, `valid perplexity ${e1.valid_ppl} -> ${e3.valid_ppl}`);
    assert.ok(e1.valid_ppl < ptb.vocabulary.size, 'better than uniform after one epoch');
    ev.dispose();
  }));

test('NT-ASGD: averaging starts once the validation loss is worse than the best before the last nonmono epochs', () =>
  onBackend('wasm', async () => {
    const ev = new RnnEvaluation(DARTS_V2_RNN, { ...config, nonmono: 2, epochs: 1 }, data);
    const shouldAverage = () => (ev as unknown as { shouldAverage(): boolean }).shouldAverage();
    const record = (valid_loss: number) => ({
      epoch: 0,
      lr: 0,
      averaging: false,
      train_loss: 0,
      train_ppl: 0,
      valid_loss,
      valid_ppl: 0,
      wall_s: 0,
      tokens_per_s: 0,
    });
    ev.epochs.push(record(5), record(4), record(3.5));
    assert.equal(shouldAverage(), false, 'still improving');
    ev.epochs.push(record(4.5));
    assert.equal(shouldAverage(), true, '4.5 > min(5, 4)');
    ev.dispose();
  }));

test(
  "DARTS' variable BPTT: lengths around bptt (5% around bptt / 2), at least 5, at most bptt + 20, reproducible " +
    'under a seed',
  () => {
    const draw = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: 20000 }, () => windowLength(rng, 35, 20));
    };
    const lengths = draw(SEED);
    assert.deepEqual(lengths.slice(0, 50), draw(SEED).slice(0, 50), 'the same seed, the same lengths');
    assert.ok(Math.min(...lengths) >= 5 && Math.max(...lengths) <= 55);
    // Windows of 22 or less: almost all from the base bptt / 2 (5%), few from the base bptt (0.5%).
    const short = lengths.filter((l) => l <= 22).length / lengths.length;
    assert.ok(short > 0.03 && short < 0.065, `share of windows around bptt / 2: ${short}`);
    const mean = lengths.reduce((a, b) => a + b, 0) / lengths.length;
    assert.ok(Math.abs(mean - (0.95 * 34.5 + 0.05 * 17)) < 0.3, `mean length ${mean}`);
  },
);

test(
  'variable BPTT and TAR in training: a seeded run repeats exactly; the regulariser changes the weights, not the ' +
    'reported loss',
  () =>
    onBackend('wasm', async () => {
      const base: RnnEvalConfig = { ...config, epochs: 1, bptt: 8, variableBptt: true, ar: 0, tar: 0 };
      const run = async (c: RnnEvalConfig) => {
        const ev = new RnnEvaluation(DARTS_V2_RNN, c, data);
        const r = await ev.runEpoch();
        const w = [...ev.model.weights.get('W0')!.dataSync()];
        ev.dispose();
        return { r, w };
      };
      const a = await run(base);
      const b = await run(base);
      assert.equal(a.r.train_loss, b.r.train_loss, 'the same seed repeats the epoch');
      assert.deepEqual(a.w, b.w);
      const fixed = await run({ ...base, variableBptt: false });
      assert.notEqual(fixed.r.train_loss, a.r.train_loss, 'jittered windows train differently');
      const tar = await run({ ...base, tar: 2, ar: 1 });
      assert.ok(Number.isFinite(tar.r.train_loss));
      assert.ok(
        tar.w.some((v, k) => v !== a.w[k]),
        'AR and TAR move the weights',
      );
    }),
);
