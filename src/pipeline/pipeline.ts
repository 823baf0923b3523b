// The main job: the whole EDNAS pipeline on one data set — split, search, derive, evaluate, report — in
// one run directory (search/ and evaluate/ inside, report.html and manifest.json at the top).
import { splitTable } from '../data/tables.ts';
import { splitSizes } from '../data/split.ts';
import { genotypeToDarts, type Genotype } from '../space/genotype.ts';
import { makeDir, writeFileAtomic } from '../io/atomic.ts';
import { describeFsError } from '../io/fs-errors.ts';
import { MANIFEST_SCHEMA, RunDir, type Manifest } from '../rundir/run-dir.ts';
import { loadCifar10 } from '../cnn/data.ts';
import { runEvaluate, runSearch } from '../cnn/run.ts';
import { SEARCH_SCHEMA, type SearchConfig } from '../cnn/search-config.ts';
import { EVAL_SCHEMA, type EvalConfig } from '../cnn/eval-config.ts';
import { checkConfig } from '../train/settings.ts';
import type { SearchEvent, EpochRecord } from '../cnn/search.ts';
import type { EvalEvent, EvalEpochRecord } from '../cnn/evaluation.ts';
import { runReport } from '../report/run-report.ts';

export interface PipelineOptions {
  out: string;
  data?: string;
  search: SearchConfig;
  evaluate: EvalConfig;
  signal?: AbortSignal;
  /** Worker threads of data-parallel steps, decided by the caller (default: the backend's, by batch). */
  workers?: number;
  log?: (line: string) => void;
  onSearchEvent?: (e: SearchEvent) => void;
  onSearchEpoch?: (r: EpochRecord) => void;
  onEvalEvent?: (e: EvalEvent) => void;
  onEvalEpoch?: (r: EvalEpochRecord) => void;
}

export interface PipelineResult {
  dir: string;
  report: string;
  genotype: Genotype;
  headline: {
    mean_reward_first: number;
    mean_reward_last: number;
    entropy_first: number;
    entropy_last: number;
    test_acc: number;
    params: number;
    wall_s: number;
  };
}

export async function runPipeline(o: PipelineOptions): Promise<PipelineResult> {
  const log = o.log ?? (() => {});
  const t0 = performance.now();
  const run = new RunDir(o.out);
  checkConfig(SEARCH_SCHEMA, o.search, 'the search settings');
  checkConfig(EVAL_SCHEMA, o.evaluate, 'the evaluation settings');
  run.assertFresh();
  // Read once: the search and the evaluation train on the same data.
  const dataset = loadCifar10(o.data);
  const { cifar } = dataset;
  const sizes = splitSizes(cifar.train.count, o.search);
  log(
    `data: ${cifar.dir} (${dataset.data.source}); ${cifar.train.count} training and ${cifar.test.count} test ` +
      `images; split ${sizes.weight} weight / ${sizes.policy} policy`,
  );
  try {
    makeDir(o.out);
  } catch (e) {
    throw describeFsError(e, `cannot make the run directory ${o.out}`);
  }

  log('search:');
  const searched = await runSearch({
    config: o.search,
    out: run.part('search').dir,
    dataset,
    signal: o.signal,
    workers: o.workers,
    onEvent: o.onSearchEvent,
    onEpoch: o.onSearchEpoch,
    command: 'ednas run',
  });
  const genotype = searched.genotype;
  log(`derived genotype: ${genotypeToDarts(genotype)}`);

  log('evaluation of the derived cell:');
  const evaluated = await runEvaluate({
    genotype,
    config: o.evaluate,
    out: run.part('evaluate').dir,
    dataset,
    signal: o.signal,
    workers: o.workers,
    onEvent: o.onEvalEvent,
    onEpoch: o.onEvalEpoch,
    command: 'ednas run',
  });
  const ep = searched.search.epochs;
  const evalEpochs = evaluated.evaluation.epochs;
  const wall = (performance.now() - t0) / 1000;
  const headline = {
    mean_reward_first: ep[0].mean_reward,
    mean_reward_last: ep[ep.length - 1].mean_reward,
    entropy_first: ep[0].entropy,
    entropy_last: ep[ep.length - 1].entropy,
    test_acc: evalEpochs[evalEpochs.length - 1].test_acc,
    params: evaluated.params.params,
    wall_s: wall,
  };
  const html = runReport({
    title: 'EDNAS run',
    summary: {
      data: `${cifar.dir} (${dataset.data.source})`,
      backend: `${searched.manifest.backend.name} ${searched.manifest.backend.version}`,
      search: `C=${o.search.C}, L=${o.search.layers}, ${o.search.epochs} epochs, seed ${o.search.seed}`,
      evaluation: `C=${o.evaluate.C}, L=${o.evaluate.layers}, ${o.evaluate.epochs} epochs`,
      'mean reward, first → last epoch':
        `${headline.mean_reward_first.toFixed(3)} ` + `→ ${headline.mean_reward_last.toFixed(3)}`,
      'entropy, first → last epoch': `${headline.entropy_first.toFixed(2)} → ${headline.entropy_last.toFixed(2)}`,
      'test accuracy of the derived cell': headline.test_acc.toFixed(4),
      parameters: headline.params,
      'wall time (s)': wall.toFixed(0),
    },
    dataTable: splitTable(cifar.train, searched.search.split, cifar.test),
    search: searched.search,
    genotype,
    evaluation: { epochs: evalEpochs, ...evaluated.params },
    headline: {
      task: 'CIFAR-10',
      search_s: searched.manifest.wall_s,
      result: `${(100 * (1 - headline.test_acc)).toFixed(2)}% test error`,
      params: headline.params,
    },
    reproduce:
      `ednas run --seed ${o.search.seed} --search-epochs ${o.search.epochs} ` +
      `--eval-epochs ${o.evaluate.epochs}${o.data ? ` --data ${o.data}` : ''}`,
  });
  const report = run.path('report.html');
  writeFileAtomic(report, html);
  const manifest: Manifest = {
    schema: MANIFEST_SCHEMA,
    task: 'cnn',
    kind: 'pipeline',
    status: 'finished',
    command: 'ednas run',
    config: { search: o.search, evaluate: o.evaluate },
    seed: o.search.seed,
    backend: searched.manifest.backend,
    versions: searched.manifest.versions,
    data: searched.manifest.data,
    started: new Date(Date.now() - wall * 1000).toISOString(),
    finished: new Date().toISOString(),
    wall_s: wall,
    result: headline,
  };
  run.writeManifest(manifest);
  searched.search.dispose();
  evaluated.evaluation.dispose();
  return { dir: o.out, report, genotype, headline };
}
