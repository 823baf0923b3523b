// `ednas data cifar10|ptb`: make sure a data set is on disk (downloading it when missing), validate it and
// show what it holds; for CIFAR-10 also the EDNAS split's class counts.
import { readCifar10 } from '../data/cifar10.ts';
import { fetchCifar10, fetchPtb } from '../data/fetch.ts';
import { CIFAR10_CACHE, CIFAR10_SAMPLE, PTB_CACHE } from '../data/locate.ts';
import { readPtb } from '../data/ptb.ts';
import { ednasSplit } from '../data/split.ts';
import { splitTable, summaryTable } from '../data/tables.ts';
import { textTable } from '../viz/text-table.ts';
import { numberOption, parseOptions } from './args.ts';
import { formatBytes, ProgressBar } from './progress.ts';

export const DATA_HELP = `Usage: ednas data <cifar10|ptb> [options]

Makes sure the data set is on disk (downloads it when missing), validates it and summarises it.

Options:
  --dir DIR               where the data set is or goes (default: data/cache/<name> in the package)
  --url URL               download from this mirror instead of the official address
  --limit N               cifar10: show the EDNAS split of only N training images
  --seed S                cifar10: the split's seed (default 0)
  --policy-fraction F     cifar10: share of the split that trains the policy (default 0.2)
  --sample                cifar10: describe the small sample bundled in data/ instead
  -h, --help              show this help`;

const OPTIONS = {
  dir: { type: 'string' },
  url: { type: 'string' },
  limit: { type: 'string' },
  seed: { type: 'string' },
  'policy-fraction': { type: 'string' },
  sample: { type: 'boolean' },
} as const;

export async function dataCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions('data', argv, OPTIONS);
  const name = positionals[0];
  if (values.help || !name) {
    console.log(DATA_HELP);
    return values.help ? 0 : 2;
  }
  const bar = new ProgressBar();
  const onProgress = (file: string, received: number, total: number | undefined) =>
    bar.update(`downloading ${file}`, received, total, total ? formatBytes(total) : formatBytes(received));
  try {
    if (name === 'cifar10') {
      const splitConfig = {
        seed: numberOption('seed', values.seed, { integer: true }) ?? 0,
        limit: numberOption('limit', values.limit, { min: 2, integer: true }),
        policyFraction: numberOption('policy-fraction', values['policy-fraction'], { min: 0 }),
      };
      const dir = values.sample ? CIFAR10_SAMPLE : (values.dir ?? CIFAR10_CACHE);
      if (await fetchCifar10(dir, { url: values.url, onProgress })) console.log(`downloaded CIFAR-10 into ${dir}`);
      bar.finish();
      const data = readCifar10(dir);
      const split = ednasSplit(data.train.labels, splitConfig);
      console.log(`CIFAR-10 in ${data.dir}\n`);
      console.log(
        textTable(
          summaryTable([
            { part: 'train', set: data.train },
            { part: 'test', set: data.test },
          ]),
        ),
      );
      console.log(`\nEDNAS split: ${split.weight.length} weight / ${split.policy.length} policy images\n`);
      console.log(textTable(splitTable(data.train, split, data.test)));
      return 0;
    }
    if (name === 'ptb') {
      const dir = values.dir ?? PTB_CACHE;
      if (await fetchPtb(dir, { url: values.url, onProgress })) console.log(`downloaded the Penn Treebank into ${dir}`);
      bar.finish();
      const ptb = readPtb(dir);
      console.log(`Penn Treebank in ${dir}: vocabulary ${ptb.vocabulary.size} words`);
      console.log(`tokens: train ${ptb.train.length}, valid ${ptb.valid.length}, test ${ptb.test.length}`);
      return 0;
    }
  } finally {
    bar.finish();
  }
  console.error(`ednas data: unknown data set '${name}'; choose cifar10 or ptb.`);
  return 2;
}
