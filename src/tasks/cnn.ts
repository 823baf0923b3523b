// The convolutional task (CIFAR-10 and ImageNet-style folders): its entry in the task registry.
import { readGenotype } from './genotype-file.ts';
import { randomGenotype } from '../policy/sample.ts';
import { genotypeToDarts, genotypeToJson, parseGenotype, type Genotype } from '../space/genotype.ts';
import { SEARCH_PRESETS } from '../cnn/presets.ts';
import { SEARCH_SCHEMA, type SearchConfig } from '../cnn/search-config.ts';
import { EVAL_PRESETS, EVAL_SCHEMA, type EvalConfig } from '../cnn/eval-config.ts';
import { runEvaluate, runSearch } from '../cnn/run.ts';
import { num, policyDetail, row, type Task } from './task.ts';

export const CNN_TASK: Task = {
  name: 'cnn',
  title: 'CIFAR-10, normal and reduction cells',
  presets: { search: SEARCH_PRESETS, evaluate: EVAL_PRESETS },
  schemas: { search: SEARCH_SCHEMA, evaluate: EVAL_SCHEMA },
  metrics: {
    search: { name: 'mean_reward', higherIsBetter: true },
    evaluate: { name: 'test_acc', higherIsBetter: true },
  },
  search: async (o) => {
    const r = await runSearch({ ...o, config: o.config as SearchConfig });
    return { dir: r.dir, genotype: r.genotype, derive: r.search.config.derive, dispose: () => r.search.dispose() };
  },
  evaluate: async (o) => {
    const r = await runEvaluate({ ...o, config: o.config as EvalConfig, genotype: o.genotype as Genotype });
    const accuracy = r.evaluation.epochs.at(-1)!.test_acc.toFixed(4);
    return {
      dir: r.dir,
      dispose: () => r.evaluation.dispose(),
      summary:
        `parameters ${r.params.params} (with auxiliary head ${r.params.params_with_aux}); ` +
        `test accuracy ${accuracy}`,
    };
  },
  readGenotype,
  parseGenotype,
  genotypeJson: (g) => genotypeToJson(g as Genotype),
  darts: (g) => genotypeToDarts(g as Genotype),
  random: randomGenotype,
  searchDetail: (e) =>
    e.stage === 'weights'
      ? `loss ${num(e.metrics.loss, 3)} acc ${num(e.metrics.accuracy, 3)}`
      : policyDetail(e.metrics),
  searchEpoch: (e) => {
    const r = row(e);
    return (
      `epoch ${r.epoch}: loss ${num(r.train_loss, 3)}  train acc ${num(r.train_acc, 3)}  mean reward ` +
      `${num(r.mean_reward, 3)}  baseline ${num(r.baseline, 3)}  entropy ${num(r.entropy, 2)}  ${num(r.wall_s, 0)} s`
    );
  },
  evalDetail: (e) => `acc ${num(e.metrics.accuracy, 3)}`,
  evalEpoch: (e) => {
    const r = row(e);
    return (
      `epoch ${r.epoch}: loss ${num(r.train_loss, 3)}  train acc ${num(r.train_acc, 3)}  test acc ` +
      `${num(r.test_acc, 4)}  ${num(r.wall_s, 0)} s`
    );
  },
};
