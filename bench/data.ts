// Loading cost of the real data sets: CIFAR-10 from the binary files into tensors (time, peak RSS), and the
// Penn Treebank's vocabulary and token counts. By default the copies `ednas data cifar10` and `ednas data ptb`
// downloaded (data/cache/), else the samples bundled in data/.
//   npm run bench -- data [--cifar DIR] [--ptb DIR] [--backend wasm|cpu|tensorflow]
import * as tf from '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import { initBackend, parseBackendName } from '../src/backend/select.ts';
import { readCifar10Tensors } from '../src/data/cifar10.ts';
import { resolveCifar10, resolvePtb } from '../src/data/locate.ts';
import { readPtb } from '../src/data/ptb.ts';

const rssMb = () => +(process.resourceUsage().maxRSS / 1024).toFixed(1);

export async function benchData(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      cifar: { type: 'string', default: resolveCifar10().dir },
      ptb: { type: 'string', default: resolvePtb().dir },
      backend: { type: 'string' },
    },
  });
  const backend = await initBackend(values.backend ? parseBackendName(values.backend, '--backend') : undefined);
  const rssBefore = rssMb();
  const t0 = performance.now();
  const { train, test } = readCifar10Tensors(values.cifar);
  const t1 = performance.now();
  console.log(
    JSON.stringify({
      bench: 'data_cifar10',
      dir: values.cifar,
      backend: backend.name,
      train_images: train.y.shape[0],
      test_images: test.y.shape[0],
      ms: Math.round(t1 - t0),
      tensor_mb: +(tf.memory().numBytes / 2 ** 20).toFixed(1),
      rss_before_mb: rssBefore,
      peak_rss_mb: rssMb(),
    }),
  );
  tf.dispose([train, test]);
  const p0 = performance.now();
  const ptb = readPtb(values.ptb);
  console.log(
    JSON.stringify({
      bench: 'data_ptb',
      dir: values.ptb,
      vocabulary: ptb.vocabulary.size,
      tokens: { train: ptb.train.length, valid: ptb.valid.length, test: ptb.test.length },
      ms: Math.round(performance.now() - p0),
    }),
  );
}
