// The page of `npm run bench -- browser`: the weight and policy steps of one fixed supernet child, in the
// browser, on the backend the URL names (?backend=webgpu|wasm&C=8&L=5&B=32&S=32&steps=10&warmup=20), as
// bench/supernet.ts measures them under Node, and the loss of the first and last weight step. The row lands in
// window.benchRow (or window.benchError).
import { initBackend, parseBackendName, parseGenotype, setWasmPaths } from '../src/browser.ts';
import { timeChildSteps } from './child-steps.ts';

const state = globalThis as { benchRow?: unknown; benchError?: string };

async function measure(q: URLSearchParams): Promise<Record<string, unknown>> {
  const num = (k: string) => Number(q.get(k));
  const [C, L, B, S, steps, warmup] = ['C', 'L', 'B', 'S', 'steps', 'warmup'].map(num);
  setWasmPaths(new URL('./', location.href));
  const backend = await initBackend(parseBackendName(q.get('backend') ?? 'wasm', 'backend'));
  const genotype = parseGenotype(await (await fetch('darts_v2.json')).text());
  const { losses, row } = await timeChildSteps(genotype, { C, L, B, S, steps, warmup }, 1);
  return {
    impl: 'ednas',
    where: 'browser',
    backend: backend.name,
    threads: backend.threads,
    ...(backend.simd === undefined ? {} : { simd: backend.simd }),
    ...(backend.note ? { note: backend.note } : {}),
    ...(backend.adapter ? { adapter_software: backend.adapter.software } : {}),
    ...row,
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
