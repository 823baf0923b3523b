// The convolutional task's runs in run directories: a whole search (epochs with a checkpoint after each,
// tables, derivation) and a whole evaluation training (epochs, the final model: model-file.ts), both
// resumable from their last checkpoint.
import { genotypeToDarts, genotypeToJson, type Genotype } from '../space/genotype.ts';
import { CNN_LAYOUT } from '../policy/cnn-layout.ts';
import { policyTable } from '../policy/table.ts';
import { runInDir, type RunOptions } from '../rundir/run.ts';
import type { Manifest, RunDir } from '../rundir/run-dir.ts';
import { Search, type EpochRecord, type SearchEvent } from './search.ts';
import { SEARCH_SCHEMA, type SearchConfig } from './search-config.ts';
import { Evaluation, type EvalEpochRecord, type EvalEvent } from './evaluation.ts';
import { EVAL_SCHEMA, type EvalConfig } from './eval-config.ts';
import { evalSource, searchImages, type LoadedCifar10 } from './data.ts';
import { saveModel } from './model-file.ts';
import { readable } from '../backend/device.ts';

export interface RunSearchOptions extends RunOptions<SearchEvent, EpochRecord> {
  config: SearchConfig;
  /** CIFAR-10 already read by the caller (the pipeline), instead of reading it again. */
  dataset?: LoadedCifar10;
}

export interface SearchResult {
  dir: string;
  genotype: Genotype;
  search: Search;
  manifest: Manifest;
}

/** The runs of this task: the trainer's checkpoint format and the settings' schema of each kind. */
const RUNS = {
  search: { task: 'cnn', kind: 'search', format: Search.checkpointFormat, schema: SEARCH_SCHEMA },
  evaluate: { task: 'cnn', kind: 'evaluate', format: Evaluation.checkpointFormat, schema: EVAL_SCHEMA },
} as const;

export const writeGenotype = (run: RunDir, g: Genotype): void =>
  run.writeGenotype(genotypeToJson(g), genotypeToDarts(g));

/** The search's tables: epochs, steps, and the policy history. */
export function writeSearchTables(run: RunDir, search: Search): void {
  run.writeTable('epochs', search.epochs);
  run.writeTable('steps', search.steps);
  run.writePolicy(search.policyHistory, policyTable(search.policyHistory, CNN_LAYOUT));
}

export async function runSearch(o: RunSearchOptions): Promise<SearchResult> {
  let genotype: Genotype | undefined;
  const r = await runInDir(o, {
    ...RUNS.search,
    config: o.config,
    start: (config, dir, workers) => {
      const { images, data } = searchImages(config, dir, o.dataset);
      return { trainer: new Search(config, images, { workers }), data };
    },
    tables: writeSearchTables,
    finish: async (run, search) => {
      genotype = await search.derive(undefined, o.signal);
      writeGenotype(run, genotype);
      return search.summary();
    },
  });
  return { dir: r.dir, genotype: genotype!, search: r.trainer, manifest: r.manifest };
}

export interface RunEvaluateOptions extends RunOptions<EvalEvent, EvalEpochRecord> {
  genotype: Genotype;
  config: EvalConfig;
  dataset?: LoadedCifar10;
}

export interface EvaluateResult {
  dir: string;
  evaluation: Evaluation;
  manifest: Manifest;
  params: { params: number; params_with_aux: number };
}

export async function runEvaluate(o: RunEvaluateOptions): Promise<EvaluateResult> {
  let params = { params: 0, params_with_aux: 0 };
  const r = await runInDir(o, {
    ...RUNS.evaluate,
    config: o.config,
    start: (config, dir, workers) => {
      const { source, data } = evalSource(config, dir, o.dataset);
      const evaluation = new Evaluation(o.genotype, config, source, { workers });
      params = evaluation.network.parameterCount();
      return { trainer: evaluation, data };
    },
    begin: (run) => writeGenotype(run, o.genotype),
    tables: (run, evaluation) => run.writeTable('epochs', evaluation.epochs),
    finish: async (run, evaluation) => {
      await readable([...evaluation.network.weights.values(), ...evaluation.network.buffers.values()]);
      saveModel(run.path('model'), evaluation.network, {
        classes: evaluation.source.classNames,
        input: evaluation.source.evalTransform,
      });
      const last = evaluation.epochs.at(-1);
      return { test_acc: last?.test_acc, test_top5: last?.test_top5, ...params, epochs: evaluation.epoch };
    },
  });
  return { dir: r.dir, evaluation: r.trainer, manifest: r.manifest, params };
}
