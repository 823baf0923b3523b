// `ednas evaluate`: train a genotype (or K random ones) from scratch and report test accuracy (or
// perplexity) per epoch, for either task.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../random/rng.ts';
import { numberOption, parseOptions, presetFor, RUN_OPTIONS, runSettings, UsageError } from './args.ts';
import { ProgressBar } from './progress.ts';
import { cancellable } from './cancel.ts';
import { presetHelp, presetOf, settingsHelp } from './tasks.ts';
import type { Task } from '../tasks/tasks.ts';
import { runProgress } from './run-progress.ts';
import { commandWorkers } from './workers.ts';

export function evaluateHelp(): string {
  return `Usage: ednas evaluate (--genotype FILE | --run DIR | --random K) [--preset NAME] [options]

Trains the evaluation network of a genotype from scratch and reports test accuracy after each epoch;
with a ptb preset, trains a recurrent cell (ASGD) and reports validation and test perplexity.

${presetHelp('evaluate')}

Options:
  --genotype FILE   a genotype (JSON or DARTS' Python form)
  --run DIR         the genotype.json of a search run directory
  --random K        K genotypes drawn uniformly from the search space (the random-search baseline), one
                    run directory each (DIR/random-1 ...)
  --preset NAME     one of the presets above (default quick; with --resume, the run's own)
  --data DIR        CIFAR-10 folder (default: downloaded copy, else the bundled sample); ImageNet: the
                    folder holding train/ and val/; PTB: the folder of ptb.{train,valid,test}.txt
  --epochs N        number of epochs (with --resume: extend the run to N)
  --seed S          seed for weights, augmentation, drop-path (and the random genotypes)
  --out DIR         run directory (default runs/evaluate-<preset>-<time>)
  --resume          continue the run in --out from its last checkpoint
  --set KEY=VALUE   override a setting, e.g. --set C=16 --set trainLimit=5000
  --workers N       threads that share each batch (data parallel; default EDNAS_WORKERS, else the cores)
  -h, --help        show this help

${settingsHelp('evaluate')}`;
}

export async function evaluateCommand(argv: string[]): Promise<number> {
  const { values } = parseOptions('evaluate', argv, {
    genotype: { type: 'string' },
    run: { type: 'string' },
    random: { type: 'string' },
    ...RUN_OPTIONS,
  });
  if (values.help) {
    console.log(evaluateHelp());
    return 0;
  }
  const name = presetFor(values);
  const { task, preset } = presetOf('evaluate', name);
  const sources = [values.genotype, values.run, values.random].filter((v) => v !== undefined).length;
  if (sources !== 1 && !values.resume)
    throw new UsageError('give exactly one of --genotype FILE, --run DIR or --random K');
  const options = { ...values, preset: name };
  const { config, out, given } = runSettings('evaluate', preset.config, options, task.schemas.evaluate);
  let jobs: { genotype: unknown; out: string }[];
  if (values.random !== undefined) {
    const k = numberOption('random', values.random, { min: 1, integer: true })!;
    const rng = new Rng(config.seed + 7919);
    jobs = Array.from({ length: k }, (_, i) => ({ genotype: task.random(rng), out: join(out, `random-${i + 1}`) }));
  } else {
    jobs = [{ genotype: task.readGenotype(values.genotype ?? join(values.run ?? out, 'genotype.json')), out }];
  }
  // A resumed run trains the genotype it began with, whatever the seed draws or the file now says.
  if (values.resume) jobs = jobs.map((job) => ({ ...job, genotype: resumedGenotype(task, job, values.genotype) }));
  const workers = commandWorkers(values.workers, values.resume);
  const bar = new ProgressBar();
  const progress = runProgress(bar, config.epochs, 5, task.evalDetail, task.evalEpoch);
  return cancellable(bar, `continue with: ednas evaluate --preset ${name} --out ${out} --resume`, async (signal) => {
    for (const job of jobs) {
      console.log(`genotype: ${task.darts(job.genotype)}`);
      const r = await task.evaluate({
        genotype: job.genotype,
        config,
        out: job.out,
        given,
        data: values.data,
        preset: name,
        resume: values.resume,
        signal,
        workers,
        command: `ednas evaluate ${argv.join(' ')}`.trim(),
        ...progress,
      });
      console.log(r.summary);
      console.log(`run directory: ${r.dir}`);
      r.dispose();
    }
    return 0;
  });
}

/** The genotype in a run directory being resumed; a --genotype given that differs from it is refused. */
function resumedGenotype(task: Task, job: { genotype: unknown; out: string }, given: string | undefined): unknown {
  const file = join(job.out, 'genotype.json');
  if (!existsSync(file)) return job.genotype;
  const own = task.readGenotype(file);
  if (given !== undefined && task.darts(own) !== task.darts(job.genotype)) {
    throw new UsageError(
      `${job.out} trains another genotype than ${given}: a resumed run keeps its genotype; leave out --genotype`,
    );
  }
  return own;
}
