/**
 * # EDNAS on CIFAR-10, as a reactive notebook
 *
 * Every `export` below is a cell; its parameters name the cells it reads. The first cells are inputs:
 * move one (on the page of `ednas notebook`, or with `ednas run ... --set lr=0.02`) and only the cells that
 * depend on it run again: a new learning rate retrains the search and redraws its plots, but does not
 * reload the data. The evaluation is lazy: after the search changes it waits, stale, until you run it.
 */
import {
  Inputs, initBackend, openCifar10, cifar10FromFiles, ednasSplit, splitTable, Policy, Rng, sampleChild, Search, SEARCH_PRESETS,
  liveTraining, whenDone, rewardFigure, stepFigure, operationHeatmapFigure, Evaluation, EVAL_PRESETS, imageSetSource,
  subset, NO_AUGMENTATION, randomGenotype, table, comparisonBarsFigure, runReport,
} from 'ednas';
import type { BackendName, NamedBytes, Cifar10, SearchConfig, EpochRecord, StepRecord, SearchState, Genotype, EvalEpochRecord, Snapshot } from 'ednas';

type SearchSnapshot = Snapshot<EpochRecord> & { steps: StepRecord[]; policyHistory: SearchState['policyHistory']; genotype?: Genotype };
type Trained = { name: string; genotype: Genotype; test_acc: number; params: number; epochs: EvalEpochRecord[] };

/** The learning rate of the weight phase (SGD on the supernet, cosine-annealed over the epochs). */
export const lr = Inputs.range([0.001, 0.2], { value: 0.05, step: 0.001, label: 'weight learning rate' });

/** Adam's step size on the policy vectors (REINFORCE). */
export const policyLr = Inputs.range([0.001, 0.5], { value: 0.05, step: 0.001, label: 'policy learning rate' });

/** h, the weight of the entropy bonus in the policy's loss: above 0 it keeps the policy exploring. */
export const entropyWeight = Inputs.range([0, 0.1], { value: 0, step: 0.001, label: 'entropy weight' });

/** Epochs of the search (the first one trains the shared weights under the uniform policy). */
export const epochs = Inputs.range([1, 10], { value: 2, step: 1, label: 'search epochs' });

/** Weight steps per epoch (the policy takes half as many): fewer for a quicker look. The 400 images below give 10. */
export const weightSteps = Inputs.range([1, 10], { value: 8, step: 1, label: 'weight steps per epoch' });

/** The search settings: the `quick` preset, cut down so the whole notebook runs in about a minute. */
export const config = (lr: number, policyLr: number, entropyWeight: number, epochs: number, weightSteps: number): SearchConfig => ({
  ...SEARCH_PRESETS.quick.config, lr, policyLr, entropyWeight, epochs, policyWarmupEpochs: Math.min(1, epochs - 1), limit: 400,
  weightSteps, policySteps: Math.max(1, Math.round(weightSteps / 2)),
});

/** The TensorFlow.js backend: `auto` takes the fastest one here (in a browser: WebGPU on its GPU, else wasm). */
export const backend = Inputs.select(['auto', 'webgpu', 'wasm', 'cpu'], { value: 'auto', label: 'backend' });

/** What runs the cells, and why: the backend, its threads, the GPU adapter, the backends passed over. */
export const device = async (backend: string) => {
  const info = await initBackend(backend === 'auto' ? undefined : (backend as BackendName));
  const note = (info as { note?: string }).note ?? (info.adapter ? `adapter ${info.adapter.vendor} ${info.adapter.description}${info.adapter.software ? ' (software)' : ''}` : '');
  const why = info.forced ? 'chosen with the backend input' : info.skipped.length ? info.skipped.map((s) => `not ${s.name}: ${s.reason}`).join('; ') : 'the first choice here';
  const text = `${info.name} (${info.package} ${info.version}), ${info.threads} thread${info.threads === 1 ? '' : 's'}${note ? `; ${note}` : ''}\nwhy: ${why}`;
  return { [Symbol.for('ednas.mimeBundle')]: () => ({ 'text/plain': text }), toString: () => text };
};

/** CIFAR-10 from your disk, in a live export: pick its binary batches (data_batch_1.bin ... test_batch.bin, batches.meta.txt). */
export const files = Inputs.file({ label: 'CIFAR-10 binary batches', accept: '.bin,.txt' });

/** CIFAR-10: the files picked above, else in Node a downloaded copy (`ednas data cifar10`) or the bundled sample, in a live export the copy beside the page. */
export const dataset = async (device: object, files: NamedBytes[]): Promise<Cifar10> => {
  void device;
  return files.length ? cifar10FromFiles(files) : openCifar10();
};

/** The EDNAS split: weight images train the supernet, policy images reward the policy; per class. */
export const split = (dataset: Cifar10, config: SearchConfig) => splitTable(dataset.train, ednasSplit(dataset.train.labels, config), dataset.test);

/** A child drawn from the uniform policy the search starts from. */
export const policy = (config: SearchConfig) => sampleChild(new Policy(), new Rng(config.seed)).genotype;

/**
 * @cache
 * The search, live: the plots below redraw as it trains. Cached on disk: reopening the notebook with the
 * same code and settings does not retrain.
 */
export const search = (dataset: Cifar10, config: SearchConfig, invalidation: Promise<void>) => {
  const s = new Search(config, dataset.train);
  return liveTraining(s, {
    invalidation, intervalMs: 500,
    extra: () => ({ steps: [...s.steps], policyHistory: [...s.policyHistory] }),
    finish: async () => ({ genotype: await s.derive() }),
  });
};

/** The child sampled at every step (its edges and operations, compactly), with its reward on policy steps. */
export const sampled = (search: SearchSnapshot) => table(search.steps.map(({ epoch, phase, step, child, reward }) => ({ epoch, phase, step, child, reward })));

/** Reward, baseline and entropy per epoch. */
export const rewards = (search: SearchSnapshot) => rewardFigure(search.epochs);

/** Every weight and policy step. */
export const steps = (search: SearchSnapshot) => stepFigure(search.steps);

/** The operation policy of the normal cell per edge, with a slider over the epochs. */
export const operations = (search: SearchSnapshot) => operationHeatmapFigure(search.policyHistory, 'normal');

/** The derived cell, once the search is done. */
export const genotype = async (search: SearchSnapshot, invalidation: Promise<void>): Promise<Genotype> => (await whenDone(search, invalidation)).genotype!;

/**
 * @lazy
 * The derived cell and a random one, each trained from scratch for one short epoch. Lazy: when the search
 * changes this cell waits (stale) until you run it.
 */
export const evaluation = async (genotype: Genotype, dataset: Cifar10): Promise<Trained[]> => {
  const take = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
  const source = imageSetSource(subset(dataset.train, take(256)), subset(dataset.test, take(200)), NO_AUGMENTATION);
  const settings = { ...EVAL_PRESETS.quick.config, C: 4, layers: 3, epochs: 1, batchSize: 32, auxiliary: false, testBatchSize: 100 };
  const out: Trained[] = [];
  for (const [name, g] of [['derived', genotype], ['random', randomGenotype(new Rng(1))]] as const) {
    const ev = new Evaluation(g, settings, source);
    const r = await ev.runEpoch();
    out.push({ name, genotype: g, test_acc: r.test_acc, params: ev.network.parameterCount().params, epochs: [...ev.epochs] });
    ev.dispose();
  }
  return out;
};

/** Test accuracy of the two, with their parameter counts. */
export const comparison = (evaluation: Trained[]) => comparisonBarsFigure(evaluation);

/** The results as a table. */
export const results = (evaluation: Trained[]) => table(evaluation.map(({ name, test_acc, params }) => ({ name, test_acc, params })));

/** A self-contained HTML report of this run (plotly inlined), as a link to download it; it says what ran where and how fast. */
export const report = (search: SearchSnapshot, genotype: Genotype, evaluation: Trained[], config: SearchConfig, device: object) => {
  const ranOn = String(device).split('\n')[0];
  const imagesPerS = search.epochs.map((e) => e.images_per_s.toFixed(1)).join(', ');
  const html = runReport({
    title: 'EDNAS on CIFAR-10 (reactive notebook)',
    summary: { 'learning rate': config.lr, epochs: config.epochs, 'derived test accuracy': evaluation[0].test_acc, 'ran on': ranOn, 'search images/s per epoch': imagesPerS },
    search, genotype, evaluation: { epochs: evaluation[0].epochs, params: evaluation[0].params, params_with_aux: evaluation[0].params },
  });
  const about = `report.html, ${(html.length / 1e6).toFixed(1)} MB; ran on ${ranOn}; search speed ${imagesPerS} images/s per epoch`;
  const link = `<a download="ednas-report.html" href="data:text/html;charset=utf-8,${encodeURIComponent(html)}">Download the report</a> (${about})`;
  return { [Symbol.for('ednas.mimeBundle')]: () => ({ 'text/html': link, 'text/plain': `report: ${about}` }) };
};
