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
import { runReport, type RunReportInput } from './run-report.ts';

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

export function reportFromRunDir(dir: string): string {
  if (!existsSync(join(dir, 'manifest.json'))) throw new RunDirError(`${dir} is not a run directory (no manifest.json).`);
  const m = readManifest(dir);
  let genotype: Genotype;
  const input: Partial<RunReportInput> = { title: `EDNAS ${m.kind} run`, summary: summary(m) };
  if (m.kind === 'pipeline') {
    input.search = searchPart(join(dir, 'search'));
    genotype = readGenotype(join(dir, 'search', 'genotype.json'));
    input.evaluation = evaluationPart(join(dir, 'evaluate'), readManifest(join(dir, 'evaluate')));
  } else if (m.kind === 'search') {
    input.search = searchPart(dir);
    genotype = existsSync(join(dir, 'genotype.json'))
      ? readGenotype(join(dir, 'genotype.json'))
      : (JSON.parse(input.search!.epochs[input.search!.epochs.length - 1].genotype) as Genotype);
  } else {
    genotype = readGenotype(join(dir, 'genotype.json'));
    input.evaluation = evaluationPart(dir, m);
  }
  return runReport({ ...input, genotype } as RunReportInput);
}
