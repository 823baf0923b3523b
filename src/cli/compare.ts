// `ednas compare RUN_DIR...`: evaluation runs side by side (a table here, an HTML report with --out).
import { comparisonReport, comparisonTable, loadComparedRun } from '../report/compare.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { textTable } from '../viz/text-table.ts';
import { parseOptions, UsageError } from './args.ts';

export const COMPARE_HELP = `Usage: ednas compare RUN_DIR... [--out FILE]

Puts evaluation runs (ednas evaluate or ednas run directories) side by side: final test accuracy,
parameters, epochs, wall time and genotype; --out writes an HTML report with the curves overlaid.`;

export async function compareCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions('compare', argv, { out: { type: 'string' } });
  if (values.help) {
    console.log(COMPARE_HELP);
    return 0;
  }
  if (positionals.length < 1) throw new UsageError("give at least one RUN_DIR. Run 'ednas compare --help'.");
  const runs = positionals.map(loadComparedRun);
  console.log(textTable(comparisonTable(runs).select('run', 'test_acc', 'params', 'epochs', 'wall_s')));
  if (values.out) {
    writeFileAtomic(values.out, comparisonReport(runs));
    console.log(`report: ${values.out}`);
  }
  return 0;
}
