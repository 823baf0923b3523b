// `ednas report RUN_DIR`: a self-contained HTML report regenerated from a run directory, no retraining.
import { join } from 'node:path';
import { reportFromRunDir } from '../report/from-run-dir.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { parseOptions, UsageError } from './args.ts';

export const REPORT_HELP = `Usage: ednas report RUN_DIR [--out FILE]

Writes one self-contained HTML file (plotly.js inlined, viewable offline) from a search, evaluation or
ednas run directory: manifest (seed, backend, versions, data checksums), figures, cell diagrams, tables.
Default --out: RUN_DIR/report.html.`;

export async function reportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions('report', argv, { out: { type: 'string' } });
  if (values.help) {
    console.log(REPORT_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError("give one RUN_DIR. Run 'ednas report --help'.");
  const out = values.out ?? join(positionals[0], 'report.html');
  writeFileAtomic(out, reportFromRunDir(positionals[0]));
  console.log(`report: ${out}`);
  return 0;
}
