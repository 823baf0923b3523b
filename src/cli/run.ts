// `ednas run` (what `npm start` runs): the whole pipeline on the bundled sample or a given CIFAR-10.
import { join } from 'node:path';
import { runPipeline } from '../pipeline/pipeline.ts';
import { SEARCH_PRESETS } from '../cnn/presets.ts';
import { EVAL_PRESETS } from '../cnn/eval-config.ts';
import { PACKAGE_ROOT } from '../data/locate.ts';
import { numberOption, parseOptions, UsageError } from './args.ts';
import { ProgressBar } from './progress.ts';
import { cancellable } from './cancel.ts';
import { commandWorkers } from './workers.ts';
import { runNotebook } from './notebook-run.ts';
import { existsSync } from 'node:fs';

export const RUN_HELP = `Usage: ednas run [options]
       ednas run NOTEBOOK [--set NAME=VALUE ...] [--no-cache]

The whole EDNAS pipeline: split the training set, search (policy vectors + supernet), derive the cell,
train it from scratch, and write a run directory with report.html. Defaults to the quick presets on the
bundled CIFAR-10 sample (a few minutes on 2 CPU cores).

Options:
  --data DIR            CIFAR-10 folder (default: downloaded copy, else the bundled sample)
  --out DIR             run directory (default runs/ednas-<time>)
  --seed S              seed of the whole run (default 0)
  --search-preset NAME  ${Object.keys(SEARCH_PRESETS)
    .filter((n) => !SEARCH_PRESETS[n].config.imagenet)
    .join(' | ')} (default quick)
  --eval-preset NAME    ${Object.keys(EVAL_PRESETS)
    .filter((n) => n !== 'imagenet')
    .join(' | ')} (default quick)
  --search-epochs N     override the search preset's epochs
  --eval-epochs N       override the evaluation preset's epochs
  --limit N             training images the search uses (weight + policy split)
  --workers N           threads that share each batch (default EDNAS_WORKERS, else the cores)
  -h, --help            show this help

With NOTEBOOK (a reactive notebook, e.g. notebooks/cifar-search.ts): runs its cells as a script,
printing progress and then every cell's result; exits with 1 if a cell failed.
  --set NAME=VALUE      an input cell's value (checked against its range), or a value cell replaced
                        by a value (JSON, or text), e.g. --set lr=0.02
  --no-cache            ignore and do not write the on-disk cache of @cache cells`;

export async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions('run', argv, {
    data: { type: 'string' },
    out: { type: 'string' },
    seed: { type: 'string' },
    'search-preset': { type: 'string', default: 'quick' },
    'eval-preset': { type: 'string', default: 'quick' },
    'search-epochs': { type: 'string' },
    'eval-epochs': { type: 'string' },
    limit: { type: 'string' },
    set: { type: 'string', multiple: true },
    'no-cache': { type: 'boolean' },
    workers: { type: 'string' },
  });
  if (values.help) {
    console.log(RUN_HELP);
    return 0;
  }
  if (positionals.length > 1)
    throw new UsageError(
      `ednas run takes at most one notebook, got ${positionals.length} arguments. See 'ednas run --help'.`,
    );
  if (positionals.length === 1) {
    if (!existsSync(positionals[0]))
      throw new UsageError(
        `no notebook at ${positionals[0]}; give a reactive notebook file such as notebooks/cifar-search.ts`,
      );
    return runNotebook(positionals[0], { sets: values.set, cache: !values['no-cache'] });
  }
  if (values.set || values['no-cache'])
    throw new UsageError('--set and --no-cache apply to a notebook: ednas run NOTEBOOK --set NAME=VALUE');
  const sp = Object.hasOwn(SEARCH_PRESETS, values['search-preset'])
    ? SEARCH_PRESETS[values['search-preset']]
    : undefined;
  const ep = Object.hasOwn(EVAL_PRESETS, values['eval-preset']) ? EVAL_PRESETS[values['eval-preset']] : undefined;
  if (!sp || sp.config.imagenet)
    throw new UsageError(
      `unknown search preset '${values['search-preset']}' (ednas run searches CIFAR-10; the ImageNet search is ` +
        `ednas search --preset imagenet --data DIR)`,
    );
  if (!ep || ep.config.imagenet)
    throw new UsageError(`unknown evaluation preset '${values['eval-preset']}' (ednas run trains on CIFAR-10)`);
  const seed = numberOption('seed', values.seed, { integer: true }) ?? 0;
  const searchEpochs = numberOption('search-epochs', values['search-epochs'], { min: 1, integer: true });
  const evalEpochs = numberOption('eval-epochs', values['eval-epochs'], { min: 1, integer: true });
  const limit = numberOption('limit', values.limit, { min: 10, integer: true });
  const out = values.out ?? join(PACKAGE_ROOT, 'runs', `ednas-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  const search = { ...sp.config, seed, ...(searchEpochs && { epochs: searchEpochs }), ...(limit && { limit }) };
  const evaluate = { ...ep.config, seed, ...(evalEpochs && { epochs: evalEpochs }) };
  const bar = new ProgressBar();
  return cancellable(
    bar,
    'the search/ and evaluate/ folders of the run continue with ednas search/evaluate --out DIR --resume',
    async (signal) => {
      const r = await runPipeline({
        out,
        data: values.data,
        search,
        evaluate,
        signal,
        workers: commandWorkers(values.workers),
        log: (line) => {
          bar.finish();
          console.log(line);
        },
        onSearchEvent: (e) => {
          if (e.stage !== 'epoch')
            bar.update(`  search epoch ${e.epoch}/${search.epochs} ${e.stage.padEnd(7)}`, e.step, e.total);
        },
        onSearchEpoch: (rec) => {
          bar.finish();
          console.log(
            `  epoch ${rec.epoch}: train acc ${rec.train_acc.toFixed(3)}  mean reward ${rec.mean_reward.toFixed(3)} ` +
              ` baseline ${rec.baseline.toFixed(3)}  entropy ${rec.entropy.toFixed(2)}  ${rec.wall_s.toFixed(0)} s`,
          );
        },
        onEvalEvent: (e) => {
          if (e.stage !== 'epoch')
            bar.update(`  evaluate epoch ${e.epoch}/${evaluate.epochs} ${e.stage}`, e.step, e.total);
        },
        onEvalEpoch: (rec) => {
          bar.finish();
          console.log(
            `  epoch ${rec.epoch}: train acc ${rec.train_acc.toFixed(3)}  test acc ${rec.test_acc.toFixed(4)} ` +
              ` ${rec.wall_s.toFixed(0)} s`,
          );
        },
      });
      const h = r.headline;
      console.log(`\nreport: ${r.report}`);
      console.log(
        `mean reward ${h.mean_reward_first.toFixed(3)} -> ${h.mean_reward_last.toFixed(3)}, ` +
          `entropy ${h.entropy_first.toFixed(2)} -> ${h.entropy_last.toFixed(2)}; ` +
          `derived cell: test accuracy ${h.test_acc.toFixed(4)} with ${h.params} parameters; ` +
          `${h.wall_s.toFixed(0)} s in all`,
      );
      return 0;
    },
  );
}
