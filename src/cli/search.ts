// `ednas search`: an EDNAS search from a preset, with a progress bar and a run directory.
import { SEARCH_PRESETS, presetNames } from '../train/presets.ts';
import { runSearch } from '../train/run-search.ts';
import { parseDeriveMethod } from '../policy/derive.ts';
import { genotypeToDarts } from '../space/genotype.ts';
import { parseOptions, presetFor, runSettings, UsageError } from './args.ts';
import { ProgressBar } from './progress.ts';
import { cancellable } from './cancel.ts';
import { RNN_SEARCH_PRESETS } from '../rnn/config.ts';
import { ptbSearch } from './ptb.ts';

const OPTIONS = {
  preset: { type: 'string' },
  data: { type: 'string' },
  epochs: { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string' },
  resume: { type: 'boolean' },
  set: { type: 'string', multiple: true },
} as const;

export function searchHelp(): string {
  const width = Math.max(...[...presetNames(), ...Object.keys(RNN_SEARCH_PRESETS)].map((n) => n.length));
  return `Usage: ednas search [--preset NAME] [options]

Runs an EDNAS search: epochs of a weight phase (supernet SGD on sampled children) and a policy phase
(REINFORCE on the policy split), a checkpoint after each epoch, then derives the genotype.

Presets (CIFAR-10, normal and reduction cells):
${presetNames().map((n) => `  ${n.padEnd(width)}  ${SEARCH_PRESETS[n].summary}`).join('\n')}

Presets (Penn Treebank, the recurrent cell; reward = 80 / perplexity):
${Object.entries(RNN_SEARCH_PRESETS).map(([n, p]) => `  ${n.padEnd(width)}  ${p.summary}`).join('\n')}

Options:
  --preset NAME     one of the presets above (default quick; with --resume, the run's own)
  --data DIR        CIFAR-10 (or PTB) folder (default: data/cache/cifar10 or data/cache/ptb if downloaded,
                    else the bundled sample)
  --epochs N        number of epochs (with --resume: extend the run to N)
  --seed S          seed for the split, the weights, the sampling and the augmentation (default 0)
  --out DIR         run directory (default runs/search-<preset>-<time>)
  --resume          continue the run in --out from its last checkpoint
  --set KEY=VALUE   override any setting of the preset, e.g. --set policyLr=0.02 --set C=16
  -h, --help        show this help

Writes manifest.json, epochs.csv, steps.csv, policy.json, checkpoint/, genotype.json and genotype.txt.`;
}

export async function searchCommand(argv: string[]): Promise<number> {
  const { values } = parseOptions('search', argv, OPTIONS);
  if (values.help) {
    console.log(searchHelp());
    return 0;
  }
  values.preset = presetFor(values);
  const preset = SEARCH_PRESETS[values.preset];
  const names = [...presetNames(), ...Object.keys(RNN_SEARCH_PRESETS)];
  if (!preset && !RNN_SEARCH_PRESETS[values.preset]) throw new UsageError(`unknown preset '${values.preset}'; the presets are ${names.join(', ')}`);
  if (values.resume && !values.out) throw new UsageError('--resume needs --out DIR: the run directory to continue');
  if (!preset) return ptbSearch({ ...values, preset: values.preset }, argv);
  const { config, out } = runSettings('search', preset.config, { ...values, preset: values.preset }, { optional: ['limit', 'weightSteps', 'policySteps'], text: { derive: parseDeriveMethod } });
  const bar = new ProgressBar();
  return cancellable(bar, `continue with: ednas search --out ${out} --resume`, async (signal) => {
    const result = await runSearch({
      config, out, data: values.data, preset: values.preset, resume: values.resume, signal,
      command: `ednas search ${argv.join(' ')}`.trim(),
      onEvent: (e) => {
        if (e.stage === 'epoch') return;
        const m = e.metrics;
        const detail = e.stage === 'weights' ? `loss ${(+m.loss).toFixed(3)} acc ${(+m.accuracy).toFixed(3)}` : `reward ${(+m.reward).toFixed(3)} baseline ${(+m.baseline).toFixed(3)}`;
        bar.update(`epoch ${e.epoch}/${config.epochs} ${e.stage.padEnd(7)}`, e.step, e.total, detail);
      },
      onEpoch: (r) => {
        bar.finish();
        console.log(`epoch ${r.epoch}: loss ${r.train_loss.toFixed(3)}  train acc ${r.train_acc.toFixed(3)}  mean reward ${r.mean_reward.toFixed(3)}  baseline ${r.baseline.toFixed(3)}  entropy ${r.entropy.toFixed(2)}  ${r.wall_s.toFixed(0)} s`);
      },
    });
    console.log(`\ngenotype (${result.search.config.derive}): ${genotypeToDarts(result.genotype)}`);
    console.log(`run directory: ${result.dir}`);
    result.search.dispose();
    return 0;
  });
}
