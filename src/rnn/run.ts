// PTB search and evaluation in run directories, as the CNN path: manifest, tables, a checkpoint after
// every epoch (resumable), the genotype; the search's policy history has the same long table form.
import { join } from 'node:path';
import { from, type ColumnTable } from 'arquero';
import { initBackend } from '../backend/select.ts';
import { readPtb, type Ptb } from '../data/ptb.ts';
import { resolvePtb } from '../data/locate.ts';
import { writeFileAtomic } from '../train/atomic.ts';
import { readCheckpointFile, restoreCheckpoint, writeCheckpoint } from '../train/checkpoint.ts';
import { openRunDir, resumedDataDir, startManifest, trainInRunDir, type Manifest, type RunOptions } from '../train/run-dir.ts';
import { ACTIVATIONS, rnnGenotypeToDarts, rnnGenotypeToJson, type RnnGenotype } from './genotype.ts';
import { RnnSearch, type RnnEpochRecord, type RnnSearchEvent, type RnnSearchState } from './search.ts';
import { RnnEvaluation, type RnnEvalEpochRecord, type RnnEvalEvent, type RnnEvalState } from './evaluation.ts';
import type { RnnEvalConfig, RnnSearchConfig } from './config.ts';

const SEARCH_FORMAT = 'ednas-ptb-search-checkpoint';
const EVAL_FORMAT = 'ednas-ptb-eval-checkpoint';

export function writeRnnGenotype(dir: string, g: RnnGenotype): void {
  writeFileAtomic(join(dir, 'genotype.json'), rnnGenotypeToJson(g));
  writeFileAtomic(join(dir, 'genotype.txt'), rnnGenotypeToDarts(g) + '\n');
}

/** The policy history in the CNN table's long form, with cell "recurrent" and nodes 1..8. */
export function rnnPolicyTable(history: RnnSearchState['policyHistory']): ColumnTable {
  const rows: { epoch: number; cell: string; vector: string; node: number; input: number; op: string; probability: number }[] = [];
  for (const { epoch, probabilities: p } of history) {
    p.structure.forEach((v, i) => v.forEach((probability, input) => rows.push({ epoch, cell: 'recurrent', vector: 'structure', node: i + 1, input, op: '', probability })));
    p.operation.forEach((edges, i) => edges.forEach((v, input) => v.forEach((probability, k) => rows.push({ epoch, cell: 'recurrent', vector: 'operation', node: i + 1, input, op: ACTIVATIONS[k], probability }))));
  }
  return from(rows);
}

function loadPtb(dir: string | undefined): { ptb: Ptb; source: string } {
  const located = resolvePtb(dir);
  return { ptb: readPtb(located.dir), source: located.source };
}

const dataOf = (ptb: Ptb, source: string) => ({ dir: ptb.dir, source, files: ptb.files });

export interface RnnSearchResult {
  dir: string;
  genotype: RnnGenotype;
  search: RnnSearch;
  manifest: Manifest;
}

export async function runRnnSearch(o: RunOptions<RnnSearchEvent, RnnEpochRecord> & { config: RnnSearchConfig }): Promise<RnnSearchResult> {
  const checkpointDir = join(o.out, 'checkpoint');
  const { config, manifest: previous } = openRunDir(o, o.config, () => readCheckpointFile<RnnSearchState, RnnSearchConfig>(checkpointDir, SEARCH_FORMAT).config);
  const backend = await initBackend();
  const { ptb, source } = loadPtb(resumedDataDir(o, previous));
  const search = new RnnSearch(config, ptb.train, ptb.vocabulary.size);
  if (o.resume) search.restoreState(restoreCheckpoint<RnnSearchState, RnnSearchConfig>(checkpointDir, SEARCH_FORMAT, search.model.weights).state);
  const manifest = startManifest(previous, () => ({
    kind: 'search', command: o.command ?? 'ednas search', preset: o.preset, seed: config.seed, data: dataOf(ptb, source), started: new Date().toISOString(),
  }), config, backend);
  let genotype: RnnGenotype | undefined;
  const finished = await trainInRunDir(o, search, config.epochs, manifest, () => {
    writeCheckpoint(checkpointDir, { format: SEARCH_FORMAT, config, weights: search.model.weights, momentum: new Map(), state: () => search.state() });
    writeFileAtomic(join(o.out, 'epochs.csv'), from(search.epochs).toCSV());
    writeFileAtomic(join(o.out, 'steps.csv'), from(search.steps).toCSV());
    writeFileAtomic(join(o.out, 'policy.json'), JSON.stringify(search.policyHistory));
    writeFileAtomic(join(o.out, 'policy.csv'), rnnPolicyTable(search.policyHistory).toCSV());
  }, async () => {
    genotype = await search.derive(undefined, o.signal);
    writeRnnGenotype(o.out, genotype);
    const last = search.epochs.at(-1);
    return { epochs: search.epoch, mean_reward: last?.mean_reward, entropy: last?.entropy, derive: config.derive, vocabulary: ptb.vocabulary.size };
  });
  return { dir: o.out, genotype: genotype!, search, manifest: finished };
}

export interface RnnEvaluateResult {
  dir: string;
  evaluation: RnnEvaluation;
  manifest: Manifest;
  params: number;
  test_ppl: number;
}

export async function runRnnEvaluate(o: RunOptions<RnnEvalEvent, RnnEvalEpochRecord> & { config: RnnEvalConfig; genotype: RnnGenotype }): Promise<RnnEvaluateResult> {
  const checkpointDir = join(o.out, 'checkpoint');
  const { config, manifest: previous } = openRunDir(o, o.config, () => readCheckpointFile<RnnEvalState, RnnEvalConfig>(checkpointDir, EVAL_FORMAT).config);
  const backend = await initBackend();
  const { ptb, source } = loadPtb(resumedDataDir(o, previous));
  const evaluation = new RnnEvaluation(o.genotype, config, { ...ptb, vocabulary: ptb.vocabulary.size });
  if (o.resume) {
    // The averaged weights travel in the checkpoint's optimizer slot (plain SGD has no momentum).
    const { state, momentum } = restoreCheckpoint<RnnEvalState, RnnEvalConfig>(checkpointDir, EVAL_FORMAT, evaluation.model.weights);
    evaluation.average.restore(momentum, state.averaged);
    evaluation.restoreState(state);
  }
  const params = evaluation.model.parameterCount();
  const manifest = startManifest(previous, () => ({
    kind: 'evaluate', command: o.command ?? 'ednas evaluate', preset: o.preset, seed: config.seed, data: dataOf(ptb, source), started: new Date().toISOString(),
  }), config, backend);
  writeRnnGenotype(o.out, o.genotype);
  let testPpl = NaN;
  const finished = await trainInRunDir(o, evaluation, config.epochs, manifest, () => {
    writeCheckpoint(checkpointDir, { format: EVAL_FORMAT, config, weights: evaluation.model.weights, momentum: evaluation.average.means, state: () => evaluation.state() });
    writeFileAtomic(join(o.out, 'epochs.csv'), from(evaluation.epochs).toCSV());
  }, async () => {
    testPpl = Math.exp(await evaluation.loss(evaluation.test, o.signal));
    const last = evaluation.epochs.at(-1);
    return { valid_ppl: last?.valid_ppl, test_ppl: testPpl, averaged_steps: evaluation.average.count, params, epochs: evaluation.epoch };
  });
  return { dir: o.out, evaluation, manifest: finished, params, test_ppl: testPpl };
}
