// The recurrent task (Penn Treebank): its entry in the task registry.
import { readRnnGenotype } from './genotype-file.ts';
import { randomRnnGenotype } from '../policy/sample.ts';
import { parseRnnGenotype, rnnGenotypeToDarts, rnnGenotypeToJson, type RnnGenotype } from '../space/rnn-genotype.ts';
import {
  RNN_EVAL_PRESETS,
  RNN_EVAL_SCHEMA,
  RNN_SEARCH_PRESETS,
  RNN_SEARCH_SCHEMA,
  type RnnEvalConfig,
  type RnnSearchConfig,
} from '../rnn/config.ts';
import { runRnnEvaluate, runRnnSearch } from '../rnn/run.ts';
import { num, policyDetail, row, type Task } from './task.ts';

export const RNN_TASK: Task = {
  name: 'rnn',
  title: 'Penn Treebank, the recurrent cell; reward = 80 / perplexity',
  presets: { search: RNN_SEARCH_PRESETS, evaluate: RNN_EVAL_PRESETS },
  schemas: { search: RNN_SEARCH_SCHEMA, evaluate: RNN_EVAL_SCHEMA },
  metrics: {
    search: { name: 'mean_reward', higherIsBetter: true },
    evaluate: { name: 'test_ppl', higherIsBetter: false },
  },
  search: async (o) => {
    const r = await runRnnSearch({ ...o, config: o.config as RnnSearchConfig });
    return { dir: r.dir, genotype: r.genotype, derive: r.search.config.derive, dispose: () => r.search.dispose() };
  },
  evaluate: async (o) => {
    const r = await runRnnEvaluate({ ...o, config: o.config as RnnEvalConfig, genotype: o.genotype as RnnGenotype });
    const valid = r.evaluation.epochs.at(-1)!.valid_ppl.toFixed(1);
    return {
      dir: r.dir,
      dispose: () => r.evaluation.dispose(),
      summary: `parameters ${r.params}; valid perplexity ${valid}, test perplexity ${r.test_ppl.toFixed(1)}`,
    };
  },
  readGenotype: readRnnGenotype,
  parseGenotype: parseRnnGenotype,
  genotypeJson: (g) => rnnGenotypeToJson(g as RnnGenotype),
  darts: (g) => rnnGenotypeToDarts(g as RnnGenotype),
  random: randomRnnGenotype,
  searchDetail: (e) =>
    e.stage === 'weights'
      ? `loss ${num(e.metrics.loss, 3)} ppl ${num(e.metrics.perplexity, 0)}`
      : policyDetail(e.metrics),
  searchEpoch: (e) => {
    const r = row(e);
    return (
      `epoch ${r.epoch}: train ppl ${num(r.train_ppl, 1)}  mean reward ${num(r.mean_reward, 4)}  baseline ` +
      `${num(r.baseline, 4)}  entropy ${num(r.entropy, 2)}  ${num(r.wall_s, 0)} s`
    );
  },
  evalDetail: (e) => (e.stage === 'train' ? `ppl ${num(e.metrics.perplexity, 0)}` : undefined),
  evalEpoch: (e) => {
    const r = row(e);
    const averaged = r.averaging ? ' (averaged)' : '';
    return (
      `epoch ${r.epoch}: train ppl ${num(r.train_ppl, 1)}  valid ppl ${num(r.valid_ppl, 1)}${averaged}  ` +
      `${num(r.wall_s, 0)} s`
    );
  },
};
