// `ednas search` and `ednas evaluate` with a ptb preset: the recurrent-cell search on Penn Treebank and
// the training of recurrent cells from scratch, with the CNN commands' options and run directories.
import { join } from 'node:path';
import { Rng } from '../random/rng.ts';
import { parseDeriveMethod } from '../policy/derive.ts';
import { RNN_EVAL_PRESETS, RNN_SEARCH_PRESETS, type RnnEvalConfig } from '../rnn/config.ts';
import { readRnnGenotype, rnnGenotypeToDarts, type RnnGenotype } from '../rnn/genotype.ts';
import { randomRnnGenotype } from '../rnn/policy.ts';
import { runRnnEvaluate, runRnnSearch } from '../rnn/run.ts';
import { numberOption, runSettings } from './args.ts';
import { cancellable } from './cancel.ts';
import { ProgressBar } from './progress.ts';

export interface CommonValues {
  preset: string;
  data?: string;
  epochs?: string;
  seed?: string;
  out?: string;
  resume?: boolean;
  set?: string[];
}

export async function ptbSearch(v: CommonValues, argv: string[]): Promise<number> {
  const { config, out } = runSettings('search', RNN_SEARCH_PRESETS[v.preset].config, v, { optional: ['limit', 'weightSteps', 'policySteps'], text: { derive: parseDeriveMethod } });
  const bar = new ProgressBar();
  return cancellable(bar, `continue with: ednas search --out ${out} --resume`, async (signal) => {
    const result = await runRnnSearch({
      config, out, data: v.data, preset: v.preset, resume: v.resume, signal, command: `ednas search ${argv.join(' ')}`.trim(),
      onEvent: (e) => {
        if (e.stage === 'epoch') return;
        const m = e.metrics;
        const detail = e.stage === 'weights' ? `loss ${(+m.loss).toFixed(3)} ppl ${(+m.perplexity).toFixed(0)}` : `reward ${(+m.reward).toFixed(3)} baseline ${(+m.baseline).toFixed(3)}`;
        bar.update(`epoch ${e.epoch}/${config.epochs} ${e.stage.padEnd(7)}`, e.step, e.total, detail);
      },
      onEpoch: (r) => {
        bar.finish();
        console.log(`epoch ${r.epoch}: train ppl ${r.train_ppl.toFixed(1)}  mean reward ${r.mean_reward.toFixed(4)}  baseline ${r.baseline.toFixed(4)}  entropy ${r.entropy.toFixed(2)}  ${r.wall_s.toFixed(0)} s`);
      },
    });
    console.log(`\ngenotype (${config.derive}): ${rnnGenotypeToDarts(result.genotype)}`);
    console.log(`run directory: ${result.dir}`);
    result.search.dispose();
    return 0;
  });
}

export async function ptbEvaluate(v: CommonValues & { genotype?: string; run?: string; random?: string }, argv: string[]): Promise<number> {
  const { config, out } = runSettings<RnnEvalConfig>('evaluate', RNN_EVAL_PRESETS[v.preset].config, v, { optional: ['trainLimit', 'validLimit', 'testLimit', 'averageFrom'] });
  let jobs: { genotype: RnnGenotype; out: string }[];
  if (v.random !== undefined) {
    const k = numberOption('random', v.random, { min: 1, integer: true })!;
    const rng = new Rng(config.seed + 7919);
    jobs = Array.from({ length: k }, (_, i) => ({ genotype: randomRnnGenotype(rng), out: join(out, `random-${i + 1}`) }));
  } else {
    jobs = [{ genotype: readRnnGenotype(v.genotype ?? join(v.run ?? out, 'genotype.json')), out }];
  }
  const bar = new ProgressBar();
  return cancellable(bar, `continue with: ednas evaluate --preset ${v.preset} --out ${out} --resume`, async (signal) => {
    for (const job of jobs) {
      console.log(`genotype: ${rnnGenotypeToDarts(job.genotype)}`);
      const r = await runRnnEvaluate({
        genotype: job.genotype, config, out: job.out, data: v.data, preset: v.preset, resume: v.resume, signal, command: `ednas evaluate ${argv.join(' ')}`.trim(),
        onEvent: (e) => {
          if (e.stage === 'train') bar.update(`epoch ${e.epoch}/${config.epochs} train`, e.step, e.total, `ppl ${(+e.metrics.perplexity).toFixed(0)}`);
        },
        onEpoch: (rec) => {
          bar.finish();
          console.log(`epoch ${rec.epoch}: train ppl ${rec.train_ppl.toFixed(1)}  valid ppl ${rec.valid_ppl.toFixed(1)}${rec.averaging ? ' (averaged)' : ''}  ${rec.wall_s.toFixed(0)} s`);
        },
      });
      console.log(`parameters ${r.params}; valid perplexity ${r.evaluation.epochs.at(-1)!.valid_ppl.toFixed(1)}, test perplexity ${r.test_ppl.toFixed(1)}`);
      console.log(`run directory: ${r.dir}`);
      r.evaluation.dispose();
    }
    return 0;
  });
}
