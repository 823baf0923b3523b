import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runEvaluate } from '../../src/cnn/run.ts';
import { PAPER_EVAL_CIFAR } from '../../src/cnn/eval-config.ts';
import { randomGenotype } from '../../src/policy/sample.ts';
import { Rng } from '../../src/random/rng.ts';
import { onBackend } from '../helpers/backends.ts';
import { tempDir, writeCifarFixture } from '../helpers/fixtures.ts';
import { SEED } from '../helpers/random.ts';

const config = {
  ...PAPER_EVAL_CIFAR,
  seed: SEED,
  C: 2,
  layers: 3,
  epochs: 3,
  batchSize: 8,
  testBatchSize: 10,
  trainLimit: 24,
  testLimit: 20,
};

test('evaluation training writes its run directory, and a resumed run equals the uninterrupted one', () =>
  onBackend('wasm', async () => {
    const root = tempDir();
    writeCifarFixture(join(root, 'data'), 1, 40, SEED);
    const genotype = randomGenotype(new Rng(SEED));
    const data = join(root, 'data');
    const whole = await runEvaluate({ genotype, config, out: join(root, 'whole'), data });
    assert.equal(whole.evaluation.epochs.length, 3);
    assert.ok(whole.evaluation.epochs.every((e) => e.test_acc >= 0 && e.test_acc <= 1));
    assert.ok(Math.abs(whole.evaluation.epochs[2].drop_path_prob - (0.2 * 2) / 3) < 1e-12, 'drop-path rises linearly');
    const model = JSON.parse(readFileSync(join(root, 'whole', 'model', 'model.json'), 'utf8'));
    assert.equal(model.weightsManifest[0].weights.length, whole.evaluation.network.weights.size);
    whole.evaluation.dispose();

    const first = await runEvaluate({ genotype, config: { ...config, epochs: 1 }, out: join(root, 'split'), data });
    first.evaluation.dispose();
    const rest = await runEvaluate({ genotype, config, out: join(root, 'split'), resume: true });
    const strip = (rows: { wall_s: number; images_per_s: number }[]) => rows.map(({ wall_s, images_per_s, ...r }) => r);
    assert.deepEqual(strip(rest.evaluation.epochs), strip(whole.evaluation.epochs));
    assert.equal(JSON.parse(readFileSync(join(root, 'split', 'manifest.json'), 'utf8')).status, 'finished');
    rest.evaluation.dispose();
  }));

test('the imagenet preset trains from train/ and val/ image folders and reports top-1 and top-5', () =>
  onBackend('wasm', async () => {
    const sharp = (await import('sharp')).default;
    const { mkdirSync } = await import('node:fs');
    const root = tempDir();
    const classes = ['n01', 'n02', 'n03', 'n04', 'n05', 'n06'];
    for (const split of ['train', 'val']) {
      for (const [c, cls] of classes.entries()) {
        mkdirSync(join(root, split, cls), { recursive: true });
        await sharp({
          create: { width: 240 + 10 * c, height: 260, channels: 3, background: { r: 40 * c, g: 100, b: 200 - 30 * c } },
        })
          .jpeg()
          .toFile(join(root, split, cls, 'a.jpg'));
      }
    }
    const { EVAL_PRESETS } = await import('../../src/cnn/eval-config.ts');
    const imagenet = {
      ...EVAL_PRESETS.imagenet.config,
      seed: SEED,
      C: 4,
      layers: 3,
      epochs: 1,
      batchSize: 3,
      testBatchSize: 3,
    };
    const r = await runEvaluate({
      genotype: randomGenotype(new Rng(SEED)),
      config: imagenet,
      out: join(root, 'run'),
      data: root,
    });
    const e = r.evaluation.epochs[0];
    assert.ok(e.test_top5 >= e.test_acc && e.test_top5 <= 1);
    assert.equal(r.manifest.status, 'finished');
    r.evaluation.dispose();
  }));

test(
  'batch norms keep running statistics: test accuracy is the same with test batches of 1, 7 and 256, and a ' +
    'resumed run has the same statistics',
  () =>
    onBackend('wasm', async () => {
      const root = tempDir();
      writeCifarFixture(join(root, 'data'), 1, 60, SEED);
      const data = join(root, 'data');
      const genotype = randomGenotype(new Rng(SEED + 1));
      const base = { ...config, epochs: 2, trainLimit: 48, testLimit: 60 };
      const trained = await runEvaluate({ genotype, config: base, out: join(root, 'run'), data });
      const ev = trained.evaluation;
      const mean = ev.network.buffers.get('stem.bn.running_mean')!.dataSync();
      assert.ok(
        mean.some((v) => v !== 0),
        'training moved the running mean',
      );
      const accuracies = [];
      for (const testBatchSize of [1, 7, 256]) {
        (ev.config as { testBatchSize: number }).testBatchSize = testBatchSize;
        accuracies.push((await ev.test()).top1);
      }
      assert.equal(new Set(accuracies).size, 1, `accuracies ${accuracies}`);

      const first = await runEvaluate({ genotype, config: { ...base, epochs: 1 }, out: join(root, 'split'), data });
      first.evaluation.dispose();
      const rest = await runEvaluate({ genotype, config: base, out: join(root, 'split'), resume: true });
      for (const [name, v] of ev.network.buffers)
        assert.deepEqual([...rest.evaluation.network.buffers.get(name)!.dataSync()], [...v.dataSync()], name);
      rest.evaluation.dispose();
      ev.dispose();
    }),
);
