import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { Search, type SearchEvent } from '../../src/cnn/search.ts';
import { loadCheckpoint, saveCheckpoint } from '../../src/rundir/checkpoint.ts';
import { cosineLr } from '../../src/train/schedule.ts';
import { makeBatch } from '../../src/data/batches.ts';
import { onBackend } from '../helpers/backends.ts';
import { assertAbortsAt } from '../helpers/abort.ts';
import { tempDir } from '../helpers/fixtures.ts';
import { SEED } from '../helpers/random.ts';
import { TINY_SEARCH, tinyImages } from '../helpers/tiny.ts';

const data = tinyImages(40, SEED);
const config = { ...TINY_SEARCH, seed: SEED, epochs: 5 };
const msg = `seed ${SEED}`;

test('a policy step returns the child, reward, baseline, advantage and the logit change it made', () =>
  onBackend('wasm', async () => {
    const search = new Search(config, data);
    const batch = makeBatch(data, search.split.policy.subarray(0, 8));
    const r = await search.policyStep(batch);
    assert.ok(r.reward >= 0 && r.reward <= 1);
    assert.equal(r.baseline, r.reward, 'the first reward sets the baseline');
    assert.equal(r.advantage, 0);
    const r2 = await search.policyStep(batch);
    assert.ok(Math.abs(r2.baseline - (0.95 * r.baseline + 0.05 * r2.reward)) < 1e-12);
    assert.ok(Math.abs(r2.advantage - (r2.reward - r2.baseline)) < 1e-12);
    assert.equal(r2.logitChange.length, search.policy.logits.length);
    tf.dispose([batch.x, batch.y]);
    search.dispose();
  }));

test('epochs emit events, keep the tensor count flat, and a resumed search equals the uninterrupted one', () =>
  onBackend('wasm', async () => {
    const events: SearchEvent[] = [];
    const full = new Search(config, data);
    const counts: number[] = [];
    for (let e = 0; e < 5; e++) {
      await full.runEpoch({ onEvent: (ev) => events.push(ev) });
      counts.push(tf.memory().numTensors);
    }
    assert.equal(counts[0], counts[4], `tensors after epochs: ${counts}`);
    assert.deepEqual(
      full.epochs.map((e) => e.tensors),
      counts,
    );
    assert.deepEqual(
      events.filter((e) => e.stage === 'epoch').map((e) => e.step),
      [1, 2, 3, 4, 5],
    );
    assert.ok(events.some((e) => e.stage === 'weights' && e.total === 3 && typeof e.metrics.loss === 'number'));

    const dir = join(tempDir(), 'checkpoint');
    const first = new Search(config, data);
    await first.runEpoch();
    saveCheckpoint(dir, first);
    first.dispose();
    const resumed = new Search(config, data);
    loadCheckpoint(dir, resumed);
    assert.equal(resumed.epoch, 1);
    for (let e = 1; e < 5; e++) await resumed.runEpoch();
    assert.deepEqual(
      resumed.steps.map((s) => s.child),
      full.steps.map((s) => s.child),
      `${msg}: same sampled architectures`,
    );
    assert.deepEqual(resumed.steps, full.steps);
    assert.deepEqual(resumed.policy.logits, full.policy.logits);
    for (let k = 0; k < full.policy.logits.length; k++)
      assert.ok(Math.abs(resumed.policy.logits[k] - full.policy.logits[k]) <= 1e-6, msg);
    assert.deepEqual(
      resumed.epochs.map((e) => e.genotype),
      full.epochs.map((e) => e.genotype),
    );
    full.dispose();
    resumed.dispose();
  }));

test('during policy warm-up epochs rewards and the baseline are measured but the policy does not move', () =>
  onBackend('wasm', async () => {
    const search = new Search({ ...config, policyWarmupEpochs: 1 }, data);
    await search.runEpoch();
    assert.ok(
      search.policy.logits.every((v) => v === 0),
      'still uniform after the warm-up epoch',
    );
    assert.notEqual(search.baseline.value, undefined);
    assert.ok(search.steps.some((s) => s.phase === 'policy' && s.reward !== null));
    // A baseline below any reward makes every advantage positive (tiny data can repeat a reward exactly).
    search.baseline.value = -1;
    await search.runEpoch();
    assert.ok(
      search.policy.logits.some((v) => v !== 0),
      'learning after it',
    );
    search.dispose();
  }));

test('an AbortSignal stops an epoch between steps', () =>
  onBackend('wasm', async () => {
    const search = new Search(config, data);
    await assertAbortsAt(2, (o) => search.runEpoch(o));
    assert.equal(search.epoch, 0);
    search.dispose();
  }));

test('cosine learning rate: lr at epoch 0, lrMin at the end, the midpoint halfway', () => {
  assert.equal(cosineLr(0.05, 0.001, 0, 10), 0.05);
  assert.ok(Math.abs(cosineLr(0.05, 0.001, 10, 10) - 0.001) < 1e-12);
  assert.ok(Math.abs(cosineLr(0.05, 0.001, 5, 10) - 0.0255) < 1e-12);
});

test(
  'the ImageNet search on a tiny folder: the ImageNet stem, ' + 'image folders decoded per batch, the step schedule',
  () =>
    onBackend('wasm', async () => {
      const sharp = (await import('sharp')).default;
      const { mkdirSync } = await import('node:fs');
      const { runSearch } = await import('../../src/cnn/run.ts');
      const { SEARCH_PRESETS } = await import('../../src/cnn/presets.ts');
      const root = tempDir();
      for (const [c, cls] of ['n01', 'n02', 'n03', 'n04'].entries()) {
        mkdirSync(join(root, 'train', cls), { recursive: true });
        for (let i = 0; i < 5; i++)
          await sharp({
            create: {
              width: 48 + 4 * i,
              height: 40,
              channels: 3,
              background: { r: 60 * c, g: 20 * i, b: 200 - 40 * c },
            },
          })
            .jpeg()
            .toFile(join(root, 'train', cls, `${i}.jpg`));
      }
      const preset = SEARCH_PRESETS['imagenet-cpu'].config;
      const cfg = {
        ...preset,
        seed: SEED,
        C: 4,
        layers: 3,
        imageSize: 32,
        epochs: 2,
        batchSize: 4,
        policyBatchSize: 4,
        lrStepEpochs: 1,
        weightSteps: 2,
        policySteps: 2,
      };
      const r = await runSearch({ config: cfg, out: join(root, 'run'), data: root });
      assert.equal(r.manifest.status, 'finished');
      assert.ok(
        r.search.supernet.weights.has('stem0.conv1') && !r.search.supernet.weights.has('stem.conv'),
        'the ImageNet stem',
      );
      assert.deepEqual(
        r.search.epochs.map((e) => e.lr),
        [0.05, 0.005000000000000001],
        'lr x0.1 every epoch',
      );
      assert.equal(r.search.split.weight.length + r.search.split.policy.length, 20);
      assert.ok(r.genotype.normal.length === 8);
      r.search.dispose();
    }),
);
