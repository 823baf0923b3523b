// `ednas search`: an EDNAS search from a preset (of either task), with a progress bar and a run directory.
import { parseOptions, presetFor, RUN_OPTIONS, runSettings } from './args.ts';
import { commandWorkers } from './workers.ts';
import { ProgressBar } from './progress.ts';
import { cancellable } from './cancel.ts';
import { presetHelp, presetOf, settingsHelp } from './tasks.ts';
import { runProgress } from './run-progress.ts';

export function searchHelp(): string {
  return `Usage: ednas search [--preset NAME] [options]

Runs an EDNAS search: epochs of a weight phase (supernet SGD on sampled children) and a policy phase
(REINFORCE on the policy split), a checkpoint after each epoch, then derives the genotype.

${presetHelp('search')}

Options:
  --preset NAME     one of the presets above (default quick; with --resume, the run's own)
  --data DIR        CIFAR-10 (or PTB) folder (default: data/cache/cifar10 or data/cache/ptb if downloaded,
                    else the bundled sample)
  --epochs N        number of epochs (with --resume: extend the run to N)
  --seed S          seed for the split, the weights, the sampling and the augmentation (default 0)
  --out DIR         run directory (default runs/search-<preset>-<time>)
  --resume          continue the run in --out from its last checkpoint
  --set KEY=VALUE   override any setting of the preset, e.g. --set policyLr=0.02 --set C=16
  --workers N       threads that share each batch (data parallel; default EDNAS_WORKERS, else the cores)
  -h, --help        show this help

${settingsHelp('search')}

Writes manifest.json, epochs.csv, steps.csv, policy.json, checkpoint/, genotype.json and genotype.txt.`;
}

export async function searchCommand(argv: string[]): Promise<number> {
  const { values } = parseOptions('search', argv, RUN_OPTIONS);
  if (values.help) {
    console.log(searchHelp());
    return 0;
  }
  const name = presetFor(values);
  const { task, preset } = presetOf('search', name);
  const { config, out, given } = runSettings('search', preset.config, { ...values, preset: name }, task.schemas.search);
  const bar = new ProgressBar();
  const progress = runProgress(bar, config.epochs, 7, task.searchDetail, task.searchEpoch);
  return cancellable(bar, `continue with: ednas search --out ${out} --resume`, async (signal) => {
    const result = await task.search({
      config,
      out,
      given,
      data: values.data,
      preset: name,
      resume: values.resume,
      signal,
      workers: commandWorkers(values.workers, values.resume),
      command: `ednas search ${argv.join(' ')}`.trim(),
      ...progress,
    });
    console.log(`\ngenotype (${result.derive}): ${task.darts(result.genotype)}`);
    console.log(`run directory: ${result.dir}`);
    result.dispose();
    return 0;
  });
}
