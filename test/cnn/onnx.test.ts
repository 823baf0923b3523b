// The trained network leaves as an ONNX model anyone can run: every operation at both strides, CIFAR and
// ImageNet layouts, checked against ONNX Runtime; `ednas export` and `ednas predict` on a trained model
// and the bundled images; a saved model loads back to the accuracy its run measured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EvalNetwork } from '../../src/network/eval-network.ts';
import { exportOnnx, onnxMetadata } from '../../src/cnn/onnx-export.ts';
import { checkOnnx } from '../../src/cnn/onnx-check.ts';
import { loadEvalNetwork } from '../../src/cnn/model-file.ts';
import { validateGenotype } from '../../src/space/genotype.ts';
import { OP_NAMES } from '../../src/space/ops.ts';
import { IMAGENET_EVAL } from '../../src/data/image-folder.ts';
import { NO_AUGMENTATION } from '../../src/data/augment.ts';
import { readCifar10 } from '../../src/data/cifar10.ts';
import { CIFAR10_SAMPLE } from '../../src/data/locate.ts';
import { makeBatch } from '../../src/data/batches.ts';
import { accuracy } from '../../src/train/metrics.ts';
import { Rng } from '../../src/random/rng.ts';
import { onBackend } from '../helpers/backends.ts';
import { tempDir } from '../helpers/fixtures.ts';
import { SEED } from '../helpers/random.ts';

// Every operation in both cells; in the reduction cell the edges from nodes 0 and 1 have stride 2.
const ops = [...OP_NAMES, OP_NAMES[0]];
const ALL_OPS = validateGenotype({
  normal: ops.map((op, k) => [op, k < 2 ? k : Math.min(k >> 1, 1 + (k >> 1))]),
  reduce: ops.map((_op, k) => [OP_NAMES[(k + 3) % 7], k % 2]),
  normal_concat: [2, 3, 4, 5],
  reduce_concat: [2, 3, 4, 5],
});

/** Running statistics away from their start, so the export must carry them. */
function perturb(net: EvalNetwork, rng: Rng) {
  for (const [name, v] of net.buffers) {
    const values = Float32Array.from({ length: v.size }, () =>
      name.endsWith('var') ? 0.5 + rng.uniform() : rng.normal() * 0.3,
    );
    v.assign(tf.tensor(values, v.shape));
  }
}

const bin = new URL('../../bin/ednas.js', import.meta.url).pathname;
const ednas = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 300_000 });

test('every operation, both strides, CIFAR and ImageNet layouts: ONNX Runtime agrees with TensorFlow.js', () =>
  onBackend('wasm', async () => {
    const rng = new Rng(SEED);
    for (const [imagenet, size] of [
      [false, 32],
      [true, 64],
    ] as const) {
      const net = new EvalNetwork(ALL_OPS, { C: 8, layers: 4, classes: 10, auxiliary: true, imagenet }, new Rng(SEED));
      perturb(net, rng);
      const bytes = exportOnnx(net, {
        classes: Array.from({ length: 10 }, (_, k) => `c${k}`),
        input: imagenet
          ? { ...IMAGENET_EVAL, size }
          : { size, mode: 'center', resize: size, flip: false, mean: NO_AUGMENTATION.mean, std: NO_AUGMENTATION.std },
      });
      const x = tf.randomNormal([5, size, size, 3], 0, 1, 'float32', SEED) as tf.Tensor4D;
      const r = await checkOnnx(bytes, net, x);
      assert.equal(r.agree, 5, `imagenet ${imagenet}: top-1 agreement`);
      assert.ok(r.maxAbsDiff <= 1e-3, `imagenet ${imagenet}: largest logit difference ${r.maxAbsDiff}`);
      const meta = onnxMetadata(bytes);
      assert.deepEqual(JSON.parse(meta.genotype), ALL_OPS);
      assert.equal(meta.input_layout, 'NCHW');
      x.dispose();
      net.dispose();
    }
  }));

test(
  'a trained model: export checked on every bundled test image, predict on the bundled images, the saved model ' +
    'loads to its run accuracy',
  () =>
    onBackend('wasm', async () => {
      const root = tempDir();
      const run = join(root, 'run');
      const trained = ednas([
        'evaluate',
        '--genotype',
        new URL('../fixtures/genotype_darts_v2.json', import.meta.url).pathname,
        '--preset',
        'quick',
        '--epochs',
        '1',
        '--set',
        'C=4',
        '--set',
        'layers=3',
        '--set',
        'trainLimit=320',
        '--out',
        run,
      ]);
      assert.equal(trained.status, 0, trained.stderr);
      const onnx = join(root, 'model.onnx');
      const exported = ednas(['export', run, '--onnx', onnx, '--check', '400']);
      assert.equal(exported.status, 0, exported.stderr + exported.stdout);
      const m = /on (\d+) test images: top-1 class agrees on (\d+), largest logit difference ([\d.e+-]+)/.exec(
        exported.stdout,
      )!;
      assert.deepEqual([Number(m[1]), Number(m[2])], [400, 400]);
      assert.ok(Number(m[3]) <= 1e-3);

      const images = readdirSync(join(CIFAR10_SAMPLE, '..', 'images')).map((f) =>
        join(CIFAR10_SAMPLE, '..', 'images', f),
      );
      const viaRun = JSON.parse(ednas(['predict', '--model', run, ...images, '--json']).stdout) as {
        image: string;
        top: { class: string; probability: number }[];
      }[];
      const viaOnnx = JSON.parse(ednas(['predict', '--model', onnx, ...images, '--json']).stdout) as typeof viaRun;
      assert.equal(viaRun.length, 10);
      for (const [k, p] of viaRun.entries()) {
        assert.equal(p.top.length, 5);
        assert.ok(p.top.every((t, i) => i === 0 || t.probability <= p.top[i - 1].probability));
        assert.deepEqual(
          viaOnnx[k].top.map((t) => t.class),
          p.top.map((t) => t.class),
          p.image,
        );
        for (const [i, t] of p.top.entries()) assert.ok(Math.abs(t.probability - viaOnnx[k].top[i].probability) < 1e-5);
      }
      assert.match(ednas(['predict', '--model', run, images[0]]).stdout, /image +rank +class +probability/);

      // The model folder loads back to the network the run tested: the same accuracy on the same images.
      const model = loadEvalNetwork(run);
      const test = readCifar10(CIFAR10_SAMPLE).test;
      const batch = makeBatch(
        test,
        Int32Array.from({ length: test.count }, (_, i) => i),
      );
      const acc = tf.tidy(() => accuracy(model.network.forward(batch.x, { training: false }).logits, batch.y));
      const recorded = JSON.parse(readFileSync(join(run, 'manifest.json'), 'utf8')).result.test_acc;
      assert.ok(Math.abs(acc - recorded) < 1e-6, `${acc} vs ${recorded}`);
      tf.dispose([batch.x, batch.y]);
      model.network.dispose();
    }),
);
