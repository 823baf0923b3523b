// `ednas evaluate`: train a genotype (or K random ones) from scratch and report test accuracy per epoch.
import { join } from 'node:path';
import { EVAL_PRESETS } from '../train/eval-config.ts';
import type { EvalConfig } from '../train/eval-config.ts';
import { runEvaluate } from '../train/run-evaluate.ts';
import { readGenotype, genotypeToDarts, type Genotype } from '../space/genotype.ts';
import { randomGenotype } from '../policy/random.ts';
import { Rng } from '../random/rng.ts';
import { numberOption, parseOptions, presetFor, runSettings, UsageError } from './args.ts';
import { ProgressBar } from './progress.ts';
import { cancellable } from './cancel.ts';
import { RNN_EVAL_PRESETS } from '../rnn/config.ts';
import { ptbEvaluate } from './ptb.ts';

export function evaluateHelp(): string {
  const names = [...Object.keys(EVAL_PRESETS), ...Object.keys(RNN_EVAL_PRESETS)];
  const summary = (n: string) => (EVAL_PRESETS[n] ?? RNN_EVAL_PRESETS[n]).summary;
  const width = Math.max(...names.map((n) => n.length));
  return `Usage: ednas evaluate (--genotype FILE | --run DIR | --random K) [--preset NAME] [options]

Trains the evaluation network of a genotype from scratch and reports test accuracy after each epoch;
with a ptb preset, trains a recurrent cell (ASGD) and reports validation and test perplexity.

Presets:
${names.map((n) => `  ${n.padEnd(width)}  ${summary(n)}`).join('\n')}

Options:
  --genotype FILE   a genotype (JSON or DARTS' Python form)
  --run DIR         the genotype.json of a search run directory
  --random K        K genotypes drawn uniformly from the search space (the random-search baseline), one
                    run directory each (DIR/random-1 ...)
  --preset NAME     one of the presets above (default quick; with --resume, the run's own)
  --data DIR        CIFAR-10 folder (default: downloaded copy, else the bundled sample); ImageNet: the
                    folder holding train/ and val/
  --epochs N        number of epochs (with --resume: extend the run to N)
  --seed S          seed for weights, augmentation, drop-path (and the random genotypes)
  --out DIR         run directory (default runs/evaluate-<preset>-<time>)
  --resume          continue the run in --out from its last checkpoint
  --set KEY=VALUE   override a setting, e.g. --set C=16 --set trainLimit=5000
  -h, --help        show this help`;
}

const parseSchedule = (raw: string) => {
  if (raw !== 'cosine' && raw !== 'step') throw new UsageError(`--set schedule must be cosine or step, got '${raw}'`);
  return raw;
};

export async function evaluateCommand(argv: string[]): Promise<number> {
  const { values } = parseOptions('evaluate', argv, {
    genotype: { type: 'string' }, run: { type: 'string' }, random: { type: 'string' }, preset: { type: 'string' },
    data: { type: 'string' }, epochs: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' }, resume: { type: 'boolean' },
    set: { type: 'string', multiple: true },
  });
  if (values.help) {
    console.log(evaluateHelp());
    return 0;
  }
  values.preset = presetFor(values);
  const preset = EVAL_PRESETS[values.preset];
  if (!preset && !RNN_EVAL_PRESETS[values.preset]) throw new UsageError(`unknown preset '${values.preset}'; the presets are ${[...Object.keys(EVAL_PRESETS), ...Object.keys(RNN_EVAL_PRESETS)].join(', ')}`);
  const sources = [values.genotype, values.run, values.random].filter((v) => v !== undefined).length;
  if (sources !== 1 && !values.resume) throw new UsageError('give exactly one of --genotype FILE, --run DIR or --random K');
  if (values.resume && !values.out) throw new UsageError('--resume needs --out DIR: the run directory to continue');
  if (!preset) return ptbEvaluate({ ...values, preset: values.preset }, argv);
  const { config, out } = runSettings<EvalConfig>('evaluate', preset.config, { ...values, preset: values.preset }, { optional: ['trainLimit', 'testLimit'], text: { schedule: parseSchedule } });
  let jobs: { genotype: Genotype; out: string }[];
  if (values.random !== undefined) {
    const k = numberOption('random', values.random, { min: 1, integer: true })!;
    const rng = new Rng(config.seed + 7919);
    jobs = Array.from({ length: k }, (_, i) => ({ genotype: randomGenotype(rng), out: join(out, `random-${i + 1}`) }));
  } else {
    const file = values.genotype ?? (values.run ? join(values.run, 'genotype.json') : join(out, 'genotype.json'));
    jobs = [{ genotype: readGenotype(file), out }];
  }
  const bar = new ProgressBar();
  return cancellable(bar, `continue with: ednas evaluate --out ${out} --resume`, async (signal) => {
    for (const job of jobs) {
      console.log(`genotype: ${genotypeToDarts(job.genotype)}`);
      const r = await runEvaluate({
        genotype: job.genotype, config, out: job.out, data: values.data, preset: values.preset, resume: values.resume, signal,
        command: `ednas evaluate ${argv.join(' ')}`.trim(),
        onEvent: (e) => {
          if (e.stage !== 'epoch') bar.update(`epoch ${e.epoch}/${config.epochs} ${e.stage.padEnd(5)}`, e.step, e.total, `acc ${e.metrics.accuracy.toFixed(3)}`);
        },
        onEpoch: (rec) => {
          bar.finish();
          console.log(`epoch ${rec.epoch}: loss ${rec.train_loss.toFixed(3)}  train acc ${rec.train_acc.toFixed(3)}  test acc ${rec.test_acc.toFixed(4)}  ${rec.wall_s.toFixed(0)} s`);
        },
      });
      console.log(`parameters ${r.params.params} (with auxiliary head ${r.params.params_with_aux}); test accuracy ${r.evaluation.epochs.at(-1)!.test_acc.toFixed(4)}`);
      console.log(`run directory: ${r.dir}`);
      r.evaluation.dispose();
    }
    return 0;
  });
}
