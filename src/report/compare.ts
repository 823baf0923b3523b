// Several evaluation (or pipeline) runs side by side: a table of genotype, parameters, final test accuracy
// and wall time, overlaid test-accuracy curves and bars. Built from the run directories' files.
import { readGenotype } from '../tasks/genotype-file.ts';
import { basename } from 'node:path';
import { from, type ColumnTable } from 'arquero';
import { RunDir, RunDirError } from '../rundir/run-dir.ts';
import { genotypeToDarts } from '../space/genotype.ts';
import { comparisonBarsFigure, comparisonFigure } from '../viz/figures.ts';
import { renderReport } from './report.ts';

export interface ComparedRun {
  name: string;
  dir: string;
  genotype: string;
  params: number;
  test_acc: number;
  epochs: { epoch: number; test_acc: number }[];
  wall_s: number;
}

export function loadComparedRun(dir: string): ComparedRun {
  const outer = new RunDir(dir);
  const run = outer.part('evaluate').has('manifest.json') ? outer.part('evaluate') : outer;
  const epochs = run.table<{ epoch: number; test_acc: number; wall_s: number }>('epochs');
  if (!epochs?.length) throw new RunDirError(`${dir} holds no evaluation epochs.csv to compare.`);
  const result = (run.manifest().result ?? {}) as { params?: number };
  const genotype = run.genotype(readGenotype);
  if (!genotype) throw new RunDirError(`${run.dir} has no genotype.json.`);
  return {
    name: basename(dir),
    dir,
    genotype: genotypeToDarts(genotype),
    params: result.params ?? NaN,
    test_acc: epochs[epochs.length - 1].test_acc,
    epochs,
    wall_s: epochs.reduce((s, e) => s + e.wall_s, 0),
  };
}

export function comparisonTable(runs: ComparedRun[]): ColumnTable {
  return from(
    runs.map((r) => ({
      run: r.name,
      test_acc: r.test_acc,
      params: r.params,
      epochs: r.epochs.length,
      wall_s: Math.round(r.wall_s),
      genotype: r.genotype,
    })),
  );
}

export function comparisonReport(runs: ComparedRun[]): string {
  return renderReport('EDNAS runs compared', [
    { kind: 'table', title: 'Runs', table: comparisonTable(runs) },
    { kind: 'figure', figure: comparisonBarsFigure(runs) },
    { kind: 'figure', figure: comparisonFigure(runs) },
  ]);
}
