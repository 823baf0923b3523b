// `npm run bench -- <name> [options]`: benchmarks print one JSON object per line on stdout.
import '../src/backend/preload.ts';
import { benchBrowser } from './browser.ts';
import { benchData } from './data.ts';
import { benchOps } from './ops.ts';
import { benchSupernet } from './supernet.ts';

const BENCHES: Record<string, (argv: string[]) => Promise<void>> = {
  browser: benchBrowser,
  data: benchData,
  ops: benchOps,
  supernet: benchSupernet,
};

const [name, ...rest] = process.argv.slice(2);
const bench = name ? BENCHES[name] : undefined;
if (!bench) {
  console.error(`usage: npm run bench -- <${Object.keys(BENCHES).join('|')}> [options]`);
  process.exit(2);
}
try {
  await bench(rest);
} catch (e) {
  // A mistyped option is one line, not a stack.
  console.error(`bench ${name}: ${(e as Error).message}`);
  process.exit(2);
}
process.exit(0);
