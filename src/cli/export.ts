// `ednas export RUN_DIR --onnx FILE`: the trained evaluation network as an ONNX model, checked against the
// TensorFlow.js network with ONNX Runtime on test images.
import type * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { initBackend } from '../backend/select.ts';
import { loadEvalNetwork } from '../cnn/model-file.ts';
import { exportOnnx } from '../cnn/onnx-export.ts';
import { checkOnnx } from '../cnn/onnx-check.ts';
import { loadCifar10 } from '../cnn/data.ts';
import { makeBatch } from '../data/batches.ts';
import { imageFolderBatches, scanImageFolder } from '../data/image-folder.ts';
import { RunDir } from '../rundir/run-dir.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { existsSync } from 'node:fs';
import { numberOption, parseOptions, UsageError } from './args.ts';

export const EXPORT_HELP = `Usage: ednas export RUN_DIR --onnx FILE [--check N] [--data DIR]

Writes the trained evaluation network of RUN_DIR (an ednas evaluate or ednas run directory, or its model
folder) as an ONNX model (opset 13): the inference graph (batch norm with running statistics, no
drop-path, no auxiliary head), input NCHW float32 normalized as its metadata says (mean, std, size,
class names), output the logits. Then runs N test images (default 100; 0: no check) through it with ONNX
Runtime and through the TensorFlow.js network, and reports how many agree on the top-1 class and the
largest logit difference; exit status 1 when a class differs or the difference exceeds 1e-3.

  --data DIR   the test images: CIFAR-10 folder (default: the run's data, else the bundled sample), or
               for an ImageNet model the folder holding val/<class>/*.jpg`;

export async function exportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions('export', argv, {
    onnx: { type: 'string' },
    check: { type: 'string' },
    data: { type: 'string' },
  });
  if (values.help) {
    console.log(EXPORT_HELP);
    return 0;
  }
  if (positionals.length !== 1 || !values.onnx)
    throw new UsageError("give one RUN_DIR and --onnx FILE. Run 'ednas export --help'.");
  const check = numberOption('check', values.check, { min: 0, integer: true }) ?? 100;
  await initBackend();
  const model = loadEvalNetwork(positionals[0]);
  try {
    const bytes = exportOnnx(model.network, { classes: model.classes, input: model.input });
    writeFileAtomic(values.onnx, bytes);
    console.log(
      `wrote ${values.onnx} (${(bytes.length / 1e6).toFixed(2)} MB, opset 13): input NCHW [N, ` +
        `3, ${model.input.size}, ${model.input.size}], ${model.classes.length} classes`,
    );
    if (check === 0) return 0;
    const x = await testImages(positionals[0], model.network.config.imagenet, check, values.data);
    const r = await checkOnnx(bytes, model.network, x);
    x.dispose();
    console.log(
      `ONNX Runtime against TensorFlow.js on ${r.images} test images: top-1 class agrees on ${r.agree}, largest ` +
        `logit difference ${r.maxAbsDiff.toExponential(2)}`,
    );
    return r.agree === r.images && r.maxAbsDiff <= 1e-3 ? 0 : 1;
  } finally {
    model.network.dispose();
  }
}

/** Test images as the network takes them (NHWC, normalized). */
async function testImages(runDir: string, imagenet: boolean, n: number, data?: string): Promise<tf.Tensor4D> {
  if (imagenet) {
    if (!data || !existsSync(join(data, 'val')))
      throw new UsageError('an ImageNet model is checked on --data DIR holding val/<class>/*.jpg (or pass --check 0)');
    const { IMAGENET_EVAL } = await import('../data/image-folder.ts');
    const folder = scanImageFolder(join(data, 'val'));
    const batch = (
      await imageFolderBatches(
        folder,
        Int32Array.from({ length: Math.min(n, folder.files.length) }, (_, i) => i),
        { batchSize: n, transform: IMAGENET_EVAL },
      ).next()
    ).value!;
    batch.y.dispose();
    return batch.x;
  }
  const run = new RunDir(existsSync(join(runDir, 'evaluate', 'manifest.json')) ? join(runDir, 'evaluate') : runDir);
  const given =
    data ?? (run.has('manifest.json') && run.manifest().data.source === 'given' ? run.manifest().data.dir : undefined);
  const { cifar } = loadCifar10(given);
  const batch = makeBatch(
    cifar.test,
    Int32Array.from({ length: Math.min(n, cifar.test.count) }, (_, i) => i),
  );
  batch.y.dispose();
  return batch.x;
}
