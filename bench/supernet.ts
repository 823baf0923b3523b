// Speed of one supernet child, ours against PyTorch on the same machine.
//   npm run bench -- supernet --genotype FILE [--channels 8] [--layers 5] [--batch 32] [--size 32] [--steps 5]
//                            [--backend wasm] [--no-torch]
// weight_step_ms: median forward + backward + SGD update of that fixed child on random data (Search.weightStep);
// policy_step_ms: median no-grad forward + accuracy + REINFORCE step (Search.policyStep).
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { initBackend, parseBackendName } from '../src/backend/select.ts';
import { readGenotype } from '../src/space/genotype.ts';
import { Search } from '../src/cnn/search.ts';
import { PAPER_SEARCH } from '../src/cnn/search-config.ts';
import { makeBatch } from '../src/data/batches.ts';
import { Rng } from '../src/random/rng.ts';

const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];

export async function benchSupernet(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      genotype: { type: 'string', default: fileURLToPath(new URL('../../shared/reference/genotype_darts_v2.json', import.meta.url)) },
      channels: { type: 'string', default: '8' },
      layers: { type: 'string', default: '5' },
      batch: { type: 'string', default: '32' },
      size: { type: 'string', default: '32' },
      steps: { type: 'string', default: '5' },
      backend: { type: 'string' },
      'no-torch': { type: 'boolean' },
    },
  });
  const [C, L, B, S, steps] = [values.channels, values.layers, values.batch, values.size, values.steps].map(Number);
  const backend = await initBackend(values.backend ? parseBackendName(values.backend, '--backend') : undefined);
  const genotype = readGenotype(values.genotype);
  const rng = new Rng(0);
  const images = Uint8Array.from({ length: B * S * S * 3 }, () => rng.int(256));
  const labels = Uint8Array.from({ length: B }, (_, i) => i % 10);
  const set = { name: 'random', images, labels, count: B, height: S, width: S, channels: 3, classes: [...Array(10).keys()].map(String) };
  const search = new Search({ ...PAPER_SEARCH, C, layers: L, batchSize: B, policyBatchSize: B, policyFraction: 0.5 }, set);
  const batch = makeBatch(set, [...Array(B).keys()]);
  const child = { genotype, draws: [], logProb: 0, entropy: 0 };
  const time = (f: () => void) => { const t = performance.now(); f(); return performance.now() - t; };
  for (let i = 0; i < 2; i++) search.weightStep(batch, child);
  const tensorsBefore = tf.memory().numTensors;
  const weight = Array.from({ length: steps }, () => time(() => search.weightStep(batch, child)));
  const policy = Array.from({ length: steps }, () => time(() => search.policyStep(batch, child)));
  const ours = {
    impl: 'ednas', backend: backend.name, threads: backend.threads,
    weight_step_ms: +median(weight).toFixed(2), policy_step_ms: +median(policy).toFixed(2),
    train_images_per_s: +((B / median(weight)) * 1000).toFixed(1),
    peak_rss_mb: +(process.resourceUsage().maxRSS / 1024).toFixed(1),
    tensor_leak: tf.memory().numTensors - tensorsBefore,
  };
  const result: Record<string, unknown> = { bench: 'supernet', genotype: values.genotype, channels: C, layers: L, batch: B, size: S, steps, ...ours };
  if (!values['no-torch']) {
    const script = fileURLToPath(new URL('./supernet_torch.py', import.meta.url));
    const r = spawnSync('/usr/bin/python3', [script, values.genotype, ...[C, L, B, S, steps].map(String)], { encoding: 'utf8' });
    if (r.status === 0) {
      const torch = JSON.parse(r.stdout.trim().split('\n').pop()!);
      result.pytorch = torch;
      result.ratio_weight_step = +(ours.weight_step_ms / torch.weight_step_ms).toFixed(3);
      result.ratio_policy_step = +(ours.policy_step_ms / torch.policy_step_ms).toFixed(3);
    } else {
      result.pytorch = { error: (r.stderr || r.error?.message || 'python3 failed').trim().split('\n').pop() };
    }
  }
  console.log(JSON.stringify(result));
  tf.dispose([batch.x, batch.y]);
  search.dispose();
}
