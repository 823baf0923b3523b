// A report regenerated from a run directory's files alone (manifest, tables, genotype): no retraining.
// Works for search, evaluation and pipeline (ednas run) directories of either task.
import { RunDir, RunDirError, type Manifest } from '../rundir/run-dir.ts';
import type { StepRecord } from '../policy/policy-search.ts';
import { taskReport, type Headline, type ReportInput } from './run-report.ts';
import { VIEWS, type TaskView } from './views.ts';
import { GENOTYPE_READERS } from '../tasks/genotype-file.ts';

type Input = ReportInput<unknown, unknown, never, never>;

function summary(m: Manifest): Record<string, string | number> {
  return {
    kind: m.kind,
    status: m.status,
    command: m.command,
    seed: m.seed,
    backend:
      `${m.backend.name} ${m.backend.version} (${m.backend.threads} ` + `thread${m.backend.threads === 1 ? '' : 's'})`,
    versions: `ednas ${m.versions.ednas}, tfjs ${m.versions.tfjs}, node ${m.versions.node}`,
    data: `${m.data.dir} (${m.data.source})`,
    'data checksums (sha256)': m.data.files
      .map((f) => `${f.path.split('/').pop()} ${f.sha256.slice(0, 12)}…`)
      .join(', '),
    started: m.started,
    'wall time (s)': m.wall_s !== undefined ? Math.round(m.wall_s) : '',
    ...Object.fromEntries(
      Object.entries(m.result ?? {}).map(([k, v]) => [k, typeof v === 'number' ? +v.toFixed(4) : String(v)]),
    ),
  };
}

function searchPart(run: RunDir): NonNullable<Input['search']> {
  const epochs = run.table<never>('epochs');
  if (!epochs) throw new RunDirError(`${run.dir} has no epochs.csv: the search has not finished an epoch yet.`);
  return { epochs, policyHistory: run.policyHistory(), steps: run.table<StepRecord>('steps') };
}

function evaluationPart(run: RunDir, m: Manifest): NonNullable<Input['evaluation']> {
  const epochs = run.table<never>('epochs');
  if (!epochs) throw new RunDirError(`${run.dir} has no epochs.csv: the training has not finished an epoch yet.`);
  const result = m.result ?? {};
  return { ...result, epochs, params: typeof result.params === 'number' ? result.params : NaN };
}

/** The derived genotype, else (a search still running) the argmax after its last epoch. */
function genotypeOf(run: RunDir, search?: Input['search']): unknown {
  const g = run.genotype<unknown>(GENOTYPE_READERS[run.manifest().task]);
  if (g !== undefined) return g;
  const last = search?.epochs.at(-1) as { genotype: string } | undefined;
  if (!last) throw new RunDirError(`${run.dir} has no genotype.json.`);
  return JSON.parse(last.genotype);
}

export function reportFromRunDir(dir: string): string {
  const run = new RunDir(dir);
  const m = run.manifest();
  const view = VIEWS[m.task];
  const label = m.task === 'rnn' ? 'EDNAS PTB' : 'EDNAS';
  const input: Partial<Input> = { title: `${label} ${m.kind} run`, summary: summary(m), reproduce: m.command };
  const headline = (searchSeconds: number | undefined, evaluated?: { run: RunDir; manifest: Manifest }): Headline => {
    if (!evaluated) return { task: view.task, search_s: searchSeconds };
    const e = evaluationPart(evaluated.run, evaluated.manifest);
    input.evaluation = e;
    return {
      task: view.task,
      search_s: searchSeconds,
      result: view.result(e.epochs, evaluated.manifest.result ?? {}),
      params: Number.isNaN(e.params) ? undefined : e.params,
    };
  };
  if (m.kind === 'pipeline') {
    const s = run.part('search');
    input.search = searchPart(s);
    input.genotype = genotypeOf(s, input.search);
    input.headline = headline(s.manifest().wall_s, {
      run: run.part('evaluate'),
      manifest: run.part('evaluate').manifest(),
    });
  } else if (m.kind === 'search') {
    input.search = searchPart(run);
    input.genotype = genotypeOf(run, input.search);
    input.headline = headline(m.wall_s);
  } else {
    input.genotype = genotypeOf(run);
    input.headline = headline(undefined, { run, manifest: m });
  }
  return taskReport(view as TaskView<unknown, unknown, never, never>, input as Input);
}
