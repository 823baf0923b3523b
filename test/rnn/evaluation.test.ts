import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { readPtb } from '../../src/data/ptb.ts';
import { RnnEvaluation } from '../../src/rnn/evaluation.ts';
import { WeightAverage } from '../../src/rnn/asgd.ts';
import { PAPER_RNN_EVAL, type RnnEvalConfig } from '../../src/rnn/config.ts';
import { DARTS_V2_RNN } from '../../src/space/rnn-genotype.ts';
import { NO_DROPOUT } from '../../src/rnn/model.ts';
import { onBackend } from '../helpers/backends.ts';
import { tempDir, writePtbFixture } from '../helpers/fixtures.ts';
import { SEED } from '../helpers/random.ts';

const ptb = readPtb(writePtbFixture(tempDir(), SEED));
const data = { ...ptb, vocabulary: ptb.vocabulary.size };
const config: RnnEvalConfig = { ...PAPER_RNN_EVAL, seed: SEED, hidden: 8, epochs: 3, batchSize: 4, bptt: 6, evalBatchSize: 4, dropout: NO_DROPOUT, lr: 5, trainLimit: 600 };

test('weight averaging: the mean of the weights after each averaged step; evaluation swaps it in and back', () =>
  onBackend('wasm', async () => {
    const w = new Map([['a', tf.variable(tf.tensor1d([1, 2]))]]);
    const avg = new WeightAverage();
    const seen: number[][] = [];
    for (const v of [[1, 2], [3, 6], [8, 1]]) {
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
    const ev = new RnnEvaluation(DARTS_V2_RNN, { ...config, averageFrom: 3 }, data);
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
    const record = (valid_loss: number) => ({ epoch: 0, lr: 0, averaging: false, train_loss: 0, train_ppl: 0, valid_loss, valid_ppl: 0, wall_s: 0, tokens_per_s: 0 });
    ev.epochs.push(record(5), record(4), record(3.5));
    assert.equal(shouldAverage(), false, 'still improving');
    ev.epochs.push(record(4.5));
    assert.equal(shouldAverage(), true, '4.5 > min(5, 4)');
    ev.dispose();
  }));
