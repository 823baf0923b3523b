// A report regenerated from a run directory's files alone (manifest, tables, genotype): no retraining.
// Works for search, evaluation and pipeline (ednas run) directories.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromCSV } from 'arquero';
import { readManifest, type Manifest } from '../train/run-dir.ts';
import { readGenotype, type Genotype } from '../space/genotype.ts';
import type { EpochRecord, SearchState, StepRecord } from '../train/search.ts';
import type { EvalEpochRecord } from '../train/evaluation.ts';
import { RunDirError } from '../train/run-dir.ts';
import { runReport, type Headline, type RunReportInput } from './run-report.ts';
import { rnnRunReport, type RnnReportInput } from './rnn-report.ts';
import { readRnnGenotype, type RnnGenotype } from '../rnn/genotype.ts';
import type { RnnEpochRecord } from '../rnn/search.ts';
import type { RnnEvalEpochRecord } from '../rnn/evaluation.ts';

const rows = <T>(path: string): T[] => fromCSV(readFileSync(path, 'utf8')).objects() as T[];

function searchPart(dir: string): RunReportInput['search'] {
  if (!existsSync(join(dir, 'epochs.csv'))) throw new RunDirError(`${dir} has no epochs.csv: the search has not finished an epoch yet.`);
  const steps = existsSync(join(dir, 'steps.csv')) ? rows<StepRecord>(join(dir, 'steps.csv')) : undefined;
  return { epochs: rows<EpochRecord>(join(dir, 'epochs.csv')), policyHistory: JSON.parse(readFileSync(join(dir, 'policy.json'), 'utf8')) as SearchState['policyHistory'], steps };
}

function evaluationPart(dir: string, manifest: Manifest): RunReportInput['evaluation'] {
  const result = (manifest.result ?? {}) as { params?: number; params_with_aux?: number };
  return { epochs: rows<EvalEpochRecord>(join(dir, 'epochs.csv')), params: result.params ?? NaN, params_with_aux: result.params_with_aux ?? NaN };
}

function summary(m: Manifest): Record<string, string | number> {
  return {
    kind: m.kind, status: m.status, command: m.command, seed: m.seed,
    backend: `${m.backend.name} ${m.backend.version} (${m.backend.threads} thread${m.backend.threads === 1 ? '' : 's'})`,
    versions: `ednas ${m.versions.ednas}, tfjs ${m.versions.tfjs}, node ${m.versions.node}`,
    data: `${m.data.dir} (${m.data.source})`,
    'data checksums (sha256)': m.data.files.map((f) => `${f.path.split('/').pop()} ${f.sha256.slice(0, 12)}…`).join(', '),
    started: m.started, 'wall time (s)': m.wall_s !== undefined ? Math.round(m.wall_s) : '',
    ...Object.fromEntries(Object.entries(m.result ?? {}).map(([k, v]) => [k, typeof v === 'number' ? +v.toFixed(4) : String(v)])),
  };
}

/** A PTB run (recurrent cell): its config has a hidden size. */
const isRnnRun = (m: Manifest) => typeof (m.config as { hidden?: unknown } | undefined)?.hidden === 'number';

function rnnReportFromRunDir(dir: string, m: Manifest): string {
  const result = (m.result ?? {}) as { params?: number; test_ppl?: number };
  const input: RnnReportInput = { title: `EDNAS PTB ${m.kind} run`, summary: summary(m), reproduce: m.command, genotype: undefined as unknown as RnnGenotype };
  if (m.kind === 'search') {
    if (!existsSync(join(dir, 'epochs.csv'))) throw new RunDirError(`${dir} has no epochs.csv: the search has not finished an epoch yet.`);
    const epochs = rows<RnnEpochRecord>(join(dir, 'epochs.csv'));
    input.search = { epochs, policyHistory: JSON.parse(readFileSync(join(dir, 'policy.json'), 'utf8')), steps: existsSync(join(dir, 'steps.csv')) ? rows<StepRecord>(join(dir, 'steps.csv')) : undefined };
    input.genotype = existsSync(join(dir, 'genotype.json')) ? readRnnGenotype(join(dir, 'genotype.json')) : (JSON.parse(epochs[epochs.length - 1].genotype) as RnnGenotype);
    input.headline = { task: 'PTB', search_s: m.wall_s };
  } else {
    input.genotype = readRnnGenotype(join(dir, 'genotype.json'));
    input.evaluation = { epochs: rows<RnnEvalEpochRecord>(join(dir, 'epochs.csv')), params: result.params ?? NaN, test_ppl: result.test_ppl };
    input.headline = { task: 'PTB', result: result.test_ppl !== undefined ? `${result.test_ppl.toFixed(2)} test perplexity` : undefined, params: result.params };
  }
  return rnnRunReport(input);
}

export function reportFromRunDir(dir: string): string {
  if (!existsSync(join(dir, 'manifest.json'))) throw new RunDirError(`${dir} is not a run directory (no manifest.json).`);
  const m = readManifest(dir);
  if (isRnnRun(m)) return rnnReportFromRunDir(dir, m);
  let genotype: Genotype;
  const input: Partial<RunReportInput> = { title: `EDNAS ${m.kind} run`, summary: summary(m), reproduce: m.command };
  const evaluated = (e: NonNullable<RunReportInput['evaluation']>, search_s?: number): Headline =>
    ({ task: 'CIFAR-10', search_s, result: `${(100 * (1 - e.epochs[e.epochs.length - 1].test_acc)).toFixed(2)}% test error`, params: e.params });
  if (m.kind === 'pipeline') {
    input.search = searchPart(join(dir, 'search'));
    genotype = readGenotype(join(dir, 'search', 'genotype.json'));
    input.evaluation = evaluationPart(join(dir, 'evaluate'), readManifest(join(dir, 'evaluate')));
    input.headline = evaluated(input.evaluation!, readManifest(join(dir, 'search')).wall_s);
  } else if (m.kind === 'search') {
    input.headline = { task: 'CIFAR-10', search_s: m.wall_s };
    input.search = searchPart(dir);
    genotype = existsSync(join(dir, 'genotype.json'))
      ? readGenotype(join(dir, 'genotype.json'))
      : (JSON.parse(input.search!.epochs[input.search!.epochs.length - 1].genotype) as Genotype);
  } else {
    genotype = readGenotype(join(dir, 'genotype.json'));
    input.evaluation = evaluationPart(dir, m);
    input.headline = evaluated(input.evaluation!);
  }
  return runReport({ ...input, genotype } as RunReportInput);
}
