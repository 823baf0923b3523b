// The recurrent task's runs in run directories, as the convolutional task's: a PTB search (tables, the
// policy history in the same long form, the derived cell) and the training of a cell from scratch (test
// perplexity with the averaged weights), both resumable from their last checkpoint.
import { readPtb, type Ptb } from '../data/ptb.ts';
import { resolvePtb } from '../data/locate.ts';
import { rnnGenotypeToDarts, rnnGenotypeToJson, type RnnGenotype } from '../space/rnn-genotype.ts';
import { rnnPolicyTable } from '../policy/table.ts';
import { runInDir, type RunOptions } from '../rundir/run.ts';
import type { Manifest, ManifestData, RunDir } from '../rundir/run-dir.ts';
import { RnnSearch, type RnnEpochRecord, type RnnSearchEvent } from './search.ts';
import { RnnEvaluation, type RnnEvalEpochRecord, type RnnEvalEvent } from './evaluation.ts';
import { RNN_EVAL_SCHEMA, RNN_SEARCH_SCHEMA, type RnnEvalConfig, type RnnSearchConfig } from './config.ts';

export { rnnPolicyTable } from '../policy/table.ts';

/** The runs of this task: the trainer's checkpoint format and the settings' schema of each kind. */
const RUNS = {
  search: { task: 'rnn', kind: 'search', format: RnnSearch.checkpointFormat, schema: RNN_SEARCH_SCHEMA },
  evaluate: { task: 'rnn', kind: 'evaluate', format: RnnEvaluation.checkpointFormat, schema: RNN_EVAL_SCHEMA },
} as const;

const writeRnnGenotype = (run: RunDir, g: RnnGenotype): void =>
  run.writeGenotype(rnnGenotypeToJson(g), rnnGenotypeToDarts(g));

function loadPtb(dir: string | undefined): { ptb: Ptb; data: ManifestData } {
  const located = resolvePtb(dir);
  const ptb = readPtb(located.dir);
  return { ptb, data: { dir: ptb.dir, source: located.source, files: ptb.files } };
}

export interface RnnSearchResult {
  dir: string;
  genotype: RnnGenotype;
  search: RnnSearch;
  manifest: Manifest;
}

export async function runRnnSearch(
  o: RunOptions<RnnSearchEvent, RnnEpochRecord> & { config: RnnSearchConfig },
): Promise<RnnSearchResult> {
  let genotype: RnnGenotype | undefined;
  let vocabulary = 0;
  const r = await runInDir(o, {
    ...RUNS.search,
    config: o.config,
    start: (config, dir, workers) => {
      const { ptb, data } = loadPtb(dir);
      vocabulary = ptb.vocabulary.size;
      return { trainer: new RnnSearch(config, ptb.train, vocabulary, { workers }), data };
    },
    tables: (run, search) => {
      run.writeTable('epochs', search.epochs);
      run.writeTable('steps', search.steps);
      run.writePolicy(search.policyHistory, rnnPolicyTable(search.policyHistory));
    },
    finish: async (run, search) => {
      genotype = await search.derive(undefined, o.signal);
      writeRnnGenotype(run, genotype);
      return { ...search.summary(), vocabulary };
    },
  });
  return { dir: r.dir, genotype: genotype!, search: r.trainer, manifest: r.manifest };
}

export interface RnnEvaluateResult {
  dir: string;
  evaluation: RnnEvaluation;
  manifest: Manifest;
  params: number;
  test_ppl: number;
}

export async function runRnnEvaluate(
  o: RunOptions<RnnEvalEvent, RnnEvalEpochRecord> & { config: RnnEvalConfig; genotype: RnnGenotype },
): Promise<RnnEvaluateResult> {
  let params = 0;
  let testPpl = NaN;
  const r = await runInDir(o, {
    ...RUNS.evaluate,
    config: o.config,
    start: (config, dir, workers) => {
      const { ptb, data } = loadPtb(dir);
      const evaluation = new RnnEvaluation(
        o.genotype,
        config,
        { ...ptb, vocabulary: ptb.vocabulary.size },
        { workers },
      );
      params = evaluation.model.parameterCount();
      return { trainer: evaluation, data };
    },
    begin: (run) => writeRnnGenotype(run, o.genotype),
    tables: (run, evaluation) => run.writeTable('epochs', evaluation.epochs),
    finish: async (_run, evaluation) => {
      testPpl = Math.exp(await evaluation.loss(evaluation.test, o.signal));
      const last = evaluation.epochs.at(-1);
      return {
        valid_ppl: last?.valid_ppl,
        test_ppl: testPpl,
        averaged_steps: evaluation.average.count,
        params,
        epochs: evaluation.epoch,
      };
    },
  });
  return { dir: r.dir, evaluation: r.trainer, manifest: r.manifest, params, test_ppl: testPpl };
}
