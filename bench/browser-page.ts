// The page of `npm run bench -- browser`: the weight and policy steps of one fixed supernet child, in the
// browser, on the backend the URL names (?backend=webgpu|wasm&C=8&L=5&B=32&S=32&steps=10&warmup=20), as
// bench/supernet.ts measures them under Node, and the loss of the first and last weight step. The row lands in
// window.benchRow (or window.benchError).
import {
  initBackend,
  makeBatch,
  PAPER_SEARCH,
  parseBackendName,
  parseGenotype,
  Rng,
  Search,
  setWasmPaths,
} from '../src/browser.ts';

const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
const state = globalThis as { benchRow?: unknown; benchError?: string };

async function measure(q: URLSearchParams): Promise<Record<string, unknown>> {
  const num = (k: string) => Number(q.get(k));
  const [C, L, B, S, steps, warmup] = ['C', 'L', 'B', 'S', 'steps', 'warmup'].map(num);
  setWasmPaths(new URL('./', location.href));
  const backend = await initBackend(parseBackendName(q.get('backend') ?? 'wasm', 'backend'));
  const genotype = parseGenotype(await (await fetch('darts_v2.json')).text());
  const rng = new Rng(0);
  const images = Uint8Array.from({ length: B * S * S * 3 }, () => rng.int(256));
  const labels = Uint8Array.from({ length: B }, (_, i) => i % 10);
  const classes = [...Array(10).keys()].map(String);
  const set = { name: 'random', images, labels, count: B, height: S, width: S, channels: 3, classes };
  const config = { ...PAPER_SEARCH, C, layers: L, batchSize: B, policyBatchSize: B, policyFraction: 0.5 };
  const search = new Search(config, set, { workers: 1 });
  const batch = makeBatch(set, [...Array(B).keys()]);
  const child = { genotype, draws: [], logProb: 0, entropy: 0 };
  const time = async (f: () => Promise<unknown>) => {
    const t = performance.now();
    await f();
    return performance.now() - t;
  };
  const weight: number[] = [];
  const policy: number[] = [];
  const losses: number[] = [];
  const weightStep = async () => losses.push((await search.weightStep(batch, child)).loss);
  for (let i = 0; i < warmup + steps; i++) weight.push(await time(weightStep));
  for (let i = 0; i < warmup + steps; i++) policy.push(await time(() => search.policyStep(batch, child)));
  weight.splice(0, warmup);
  policy.splice(0, warmup);
  search.dispose();
  return {
    impl: 'ednas',
    where: 'browser',
    backend: backend.name,
    threads: backend.threads,
    ...(backend.simd === undefined ? {} : { simd: backend.simd }),
    ...(backend.note ? { note: backend.note } : {}),
    ...(backend.adapter ? { adapter_software: backend.adapter.software } : {}),
    weight_step_ms: +median(weight).toFixed(2),
    policy_step_ms: +median(policy).toFixed(2),
    train_images_per_s: +((B / median(weight)) * 1000).toFixed(1),
    // The loss of the first and the last weight step: the same on one thread and on several.
    loss_first: losses[0],
    loss_last: losses[losses.length - 1],
  };
}

measure(new URLSearchParams(location.search)).then(
  (row) => {
    state.benchRow = row;
  },
  (e: Error) => {
    state.benchError = e.stack ?? e.message;
  },
);
