import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { readPtb } from '../../src/data/ptb.ts';
import { RnnSearch } from '../../src/rnn/search.ts';
import { PAPER_RNN_SEARCH, type RnnSearchConfig } from '../../src/rnn/config.ts';
import { NO_DROPOUT } from '../../src/rnn/model.ts';
import { loadCheckpoint, readCheckpointConfig, saveCheckpoint } from '../../src/rundir/checkpoint.ts';
import { onBackend } from '../helpers/backends.ts';
import { assertAbortsAt } from '../helpers/abort.ts';
import { tempDir, writePtbFixture } from '../helpers/fixtures.ts';
import { SEED } from '../helpers/random.ts';

const ptb = readPtb(writePtbFixture(tempDir(), SEED));
const config: RnnSearchConfig = {
  ...PAPER_RNN_SEARCH,
  seed: SEED,
  hidden: 8,
  epochs: 3,
  batchSize: 4,
  bptt: 5,
  policyBatchSize: 4,
  policyLr: 0.05,
  dropout: { ...NO_DROPOUT, output: 0.2, hidden: 0.1 },
  weightSteps: 6,
  policySteps: 4,
};

test('a PTB search epoch: weight and policy steps, rewards = 80 / perplexity, the policy moves, no tensors leak', () =>
  onBackend('wasm', async () => {
    const search = new RnnSearch(config, ptb.train, ptb.vocabulary.size);
    await search.runEpoch();
    const before = tf.memory().numTensors;
    const r = await search.runEpoch();
    assert.equal(tf.memory().numTensors, before, 'tensors flat across epochs');
    assert.equal(r.weight_steps, 6);
    assert.equal(r.policy_steps, 4);
    const policy = search.steps.filter((s) => s.phase === 'policy');
    assert.ok(
      policy.every((s) => s.reward! > 0 && s.reward! < 80 / 1),
      'reward = 80 / perplexity, perplexity > 1',
    );
    assert.ok(search.policy.logits.some((v) => v !== 0));
    assert.equal(search.policyHistory.length, 3);
    assert.match(r.genotype, /^\{"recurrent":\[\["(tanh|relu|sigmoid|identity)",0\]/);
    search.dispose();
  }));

test('a PTB search resumed from its checkpoint continues exactly as the uninterrupted one', () =>
  onBackend('wasm', async () => {
    const full = new RnnSearch(config, ptb.train, ptb.vocabulary.size);
    for (let e = 0; e < 3; e++) await full.runEpoch();
    const first = new RnnSearch(config, ptb.train, ptb.vocabulary.size);
    await first.runEpoch();
    const dir = tempDir();
    saveCheckpoint(dir, first);
    first.dispose();
    const resumed = new RnnSearch(
      readCheckpointConfig<RnnSearchConfig>(dir, RnnSearch.checkpointFormat),
      ptb.train,
      ptb.vocabulary.size,
    );
    loadCheckpoint(dir, resumed);
    for (let e = 1; e < 3; e++) await resumed.runEpoch();
    assert.deepEqual(resumed.steps, full.steps);
    assert.deepEqual([...resumed.policy.logits], [...full.policy.logits]);
    full.dispose();
    resumed.dispose();
  }));

test('cancelling a PTB search stops it at the next step', () =>
  onBackend('wasm', async () => {
    const search = new RnnSearch(config, ptb.train, ptb.vocabulary.size);
    await assertAbortsAt(2, (o) => search.runEpoch(o));
    assert.equal(search.steps.length, 2);
    search.dispose();
  }));
