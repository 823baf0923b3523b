// The report of an experiment, regenerated from its directory (each finished trial's manifest, read
// through RunDir): per group of trials that differ only in their seed, the mean, the standard deviation
// and every seed's value, a figure of them, and the derived cells against the random ones, paired by
// evaluation seed, in the self-contained report style.
import { from, type ColumnTable } from 'arquero';
import { RunDir } from '../rundir/run-dir.ts';
import { renderReport, type Section } from '../report/report.ts';
import { seedPointsFigure } from '../viz/figures.ts';
import { escapeHtml } from '../viz/html.ts';
import type { ExperimentDir, ExperimentRecord, TrialRecord } from './experiment-dir.ts';
import { mean, pairedTest, sd } from './stats.ts';
import { TASKS, type Metric } from '../tasks/tasks.ts';

export interface Group {
  name: string;
  kind: TrialRecord['kind'];
  preset: string;
  metric: Metric;
  source?: string;
  condition?: string;
  points: { seed: number; value: number; trial: string }[];
}

export interface Comparison {
  condition: string;
  derived: string;
  /** A random cell's group, or "mean of random cells". */
  random: string;
  pairs: number;
  /** Mean difference, signed so that > 0 means the derived cell is better. */
  mean: number;
  sd: number;
  t: number;
  p: number;
  /** Seeds where the derived cell was better. */
  wins: number;
}

const metricOf = (t: TrialRecord): Metric => TASKS[t.task].metrics[t.kind];

/** The metric of each finished trial, from its run directory's manifest. */
export function trialValues(x: ExperimentDir, r: ExperimentRecord): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of r.trials) {
    if (t.status.state !== 'finished') continue;
    const run = new RunDir(x.trial(t.id));
    if (!run.has('manifest.json')) continue;
    const v = run.manifest().result?.[metricOf(t).name];
    if (typeof v === 'number' && Number.isFinite(v)) out.set(t.id, v);
  }
  return out;
}

export function groups(r: ExperimentRecord, values: Map<string, number>): Group[] {
  const out = new Map<string, Group>();
  for (const t of r.trials) {
    const g = out.get(t.group) ?? {
      name: t.group,
      kind: t.kind,
      preset: t.preset,
      metric: metricOf(t),
      source: t.genotype?.source,
      condition: t.condition,
      points: [],
    };
    out.set(t.group, g);
    const v = values.get(t.id);
    if (v !== undefined) g.points.push({ seed: t.seed, value: v, trial: t.id });
  }
  return [...out.values()];
}

/** Derived cells against random cells trained with the same settings, paired by seed. */
export function comparisons(gs: Group[]): Comparison[] {
  const out: Comparison[] = [];
  const conditions = [...new Set(gs.map((g) => g.condition).filter((c): c is string => c !== undefined))];
  for (const condition of conditions) {
    const here = gs.filter((g) => g.condition === condition);
    const randoms = here.filter((g) => g.source === 'random');
    for (const d of here.filter((g) => g.source === 'derived')) {
      const better = (dv: number, rv: number) => (d.metric.higherIsBetter ? dv - rv : rv - dv);
      const at = (g: Group, seed: number) => g.points.find((p) => p.seed === seed)?.value;
      const row = (random: string, diffs: number[]): Comparison => ({
        condition,
        derived: d.name,
        random,
        pairs: diffs.length,
        ...pairedTest(diffs),
        wins: diffs.filter((x) => x > 0).length,
      });
      for (const rg of randoms) {
        out.push(
          row(
            rg.name,
            d.points.flatMap((p) => {
              const rv = at(rg, p.seed);
              return rv === undefined ? [] : [better(p.value, rv)];
            }),
          ),
        );
      }
      if (randoms.length > 1) {
        // Per seed: the derived cell against the mean of the random cells trained with that seed.
        out.push(
          row(
            'mean of random cells',
            d.points.flatMap((p) => {
              const rvs = randoms.map((rg) => at(rg, p.seed));
              return rvs.every((v) => v !== undefined) ? [better(p.value, mean(rvs as number[]))] : [];
            }),
          ),
        );
      }
    }
  }
  return out;
}

const round = (v: number, digits = 4) => (Number.isFinite(v) ? Number(v.toFixed(digits)) : null);

export function groupTable(gs: Group[]): ColumnTable {
  return from(
    gs.map((g) => {
      const v = g.points.map((p) => p.value);
      return {
        group: g.name,
        kind: g.kind,
        metric: g.metric.name,
        n: v.length,
        mean: v.length ? round(mean(v)) : null,
        sd: round(sd(v)),
        min: v.length ? round(Math.min(...v)) : null,
        max: v.length ? round(Math.max(...v)) : null,
        seeds: g.points.map((p) => `${p.seed}: ${p.value.toFixed(4)}`).join(', '),
      };
    }),
  );
}

export function comparisonTable(cs: Comparison[]): ColumnTable {
  return from(
    cs.map((c) => ({
      derived: c.derived,
      against: c.random,
      pairs: c.pairs,
      'mean difference': round(c.mean),
      sd: round(c.sd),
      t: round(c.t, 3),
      p: round(c.p, 3),
      'derived better': `${c.wins} of ${c.pairs}`,
    })),
  );
}

function trialTable(r: ExperimentRecord, values: Map<string, number>): ColumnTable {
  return from(
    r.trials.map((t) => ({
      trial: t.id,
      state: t.status.state,
      worker: t.status.worker ?? '',
      attempts: t.status.attempts,
      wall_s: t.status.wall_s ?? null,
      metric: metricOf(t).name,
      value: values.has(t.id) ? round(values.get(t.id)!) : null,
      error: t.status.error ?? '',
    })),
  );
}

/** What the comparison says, in words, with what it cannot say. */
function verdict(cs: Comparison[], gs: Group[]): string {
  if (!cs.length)
    return (
      '<p>No comparison: the experiment has no derived cell ' + 'and random cells evaluated with the same settings.</p>'
    );
  const lines = cs.map((c) => {
    const unit = gs.find((g) => g.name === c.derived)!.metric;
    const sign = c.mean >= 0 ? '+' : '';
    const test = Number.isFinite(c.t)
      ? `t = ${c.t.toFixed(2)} with ${c.pairs - 1} degrees of freedom, two-sided p = ${c.p.toFixed(3)}`
      : `no test with ${c.pairs} pair${c.pairs === 1 ? '' : 's'}`;
    return (
      `<li><code>${escapeHtml(c.derived)}</code> against ` +
      `<code>${escapeHtml(c.random)}</code>: ${sign}${c.mean.toFixed(4)} ${escapeHtml(unit.name)} ` +
      `(${unit.higherIsBetter ? 'higher' : 'lower'} is better; positive: the derived cell is better), better ` +
      `in ${c.wins} of ${c.pairs} seeds; ${test}.</li>`
    );
  });
  return (
    '<p>Each pair is one evaluation seed: the derived cell and a random cell trained with the same settings and the ' +
    'same seed.\nA difference smaller than the spread between seeds is not evidence; with few pairs the test has ' +
    `little power.</p><ul>${lines.join('')}</ul>`
  );
}

export function experimentReport(x: ExperimentDir): string {
  const r = x.read();
  const values = trialValues(x, r);
  const gs = groups(r, values);
  const cs = comparisons(gs);
  const byState: Record<string, number> = {};
  for (const t of r.trials) byState[t.status.state] = (byState[t.status.state] ?? 0) + 1;
  const counts = Object.entries(byState)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  const pool =
    r.pool.kind === 'local'
      ? `local pool: ${r.pool.concurrency} trials at once, ${r.pool.threads} thread(s) each on ${r.pool.cores} cores`
      : `queue ${r.pool.queue} on ${r.pool.url}`;
  const data = r.data ? `<code>${escapeHtml(r.data)}</code>` : "each task's default";
  const intro =
    `<p>${r.description ? `${escapeHtml(r.description)}</p><p>` : ''}File <code>${escapeHtml(r.file)}</code>; ` +
    `${r.trials.length} trials (${escapeHtml(counts)}); ${escapeHtml(pool)};\n` +
    `data ${data}; ednas ${escapeHtml(r.ednas)}; experiment ${escapeHtml(r.id)}, state ${escapeHtml(r.state)}.</p>`;
  const sections: Section[] = [
    { kind: 'text', html: intro },
    { kind: 'table', title: 'Groups: mean, standard deviation and every seed', table: groupTable(gs) },
  ];
  // One figure per kind of number: accuracies, perplexities and rewards do not share an axis.
  const metrics = [...new Set(gs.map((g) => `${g.kind}:${g.metric.name}`))];
  for (const m of metrics) {
    const these = gs.filter((g) => `${g.kind}:${g.metric.name}` === m && g.points.length);
    if (these.length)
      sections.push({
        kind: 'figure',
        figure: seedPointsFigure(
          `${these[0].kind === 'search' ? 'Searches' : 'Evaluations'}: ${these[0].metric.name} per seed`,
          these[0].metric.name,
          these,
        ),
      });
  }
  sections.push({ kind: 'text', title: 'Derived against random cells, paired by seed', html: verdict(cs, gs) });
  if (cs.length) sections.push({ kind: 'table', title: 'Paired differences', table: comparisonTable(cs) });
  sections.push({ kind: 'table', title: 'Trials', table: trialTable(r, values) });
  return renderReport(`Experiment ${r.name}`, sections);
}
