// The `ednas` command: a table of subcommands, each a thin wrapper over the library, loaded when it runs
// (TensorFlow.js, TypeScript's compiler and the rest are not read for `ednas --help`).
import { VERSION } from '../version.ts';
import { UsageError } from './args.ts';
import { SettingError } from '../train/settings.ts';
import { describeFsError } from '../io/fs-errors.ts';

export interface Command {
  summary: string;
  run(argv: string[]): Promise<number>;
}

/** The backend's preload runs first: it loads TensorFlow.js with source maps off (see backend/preload.ts). */
const lazy =
  <M>(load: () => Promise<M>, pick: (m: M) => (argv: string[]) => Promise<number>) =>
  async (argv: string[]) => {
    await import('../backend/preload.ts');
    return pick(await load())(argv);
  };

const COMMANDS: Record<string, Command> = {
  run: {
    summary: 'the whole pipeline (what npm start runs), or a reactive notebook as a script: ednas run NOTEBOOK',
    run: lazy(
      () => import('./run.ts'),
      (m) => m.runCommand,
    ),
  },
  notebook: {
    summary: 'the live page of a reactive notebook (edit a cell, Shift+Enter re-runs it and its dependents)',
    run: lazy(
      () => import('./notebook.ts'),
      (m) => m.notebookCommand,
    ),
  },
  data: {
    summary: 'download, validate and summarise a data set (cifar10, ptb) and its EDNAS split',
    run: lazy(
      () => import('./data.ts'),
      (m) => m.dataCommand,
    ),
  },
  search: {
    summary:
      'run an EDNAS search (CIFAR-10: quick, cpu-proxy, cifar10; PTB: ptb-quick, ptb-cpu-proxy, ptb) into a ' +
      'resumable run directory',
    run: lazy(
      () => import('./search.ts'),
      (m) => m.searchCommand,
    ),
  },
  evaluate: {
    summary: 'train a genotype (or K random ones) from scratch and report test accuracy',
    run: lazy(
      () => import('./evaluate.ts'),
      (m) => m.evaluateCommand,
    ),
  },
  experiment: {
    summary:
      'many trials from an experiment file (seeds, sweeps, derived vs random) on a local pool or a Redis queue; ' +
      'status; report',
    run: lazy(
      () => import('./experiment.ts'),
      (m) => m.experimentCommand,
    ),
  },
  worker: {
    summary: 'take trials of experiments from a Redis queue and run them (any number of machines)',
    run: lazy(
      () => import('./worker.ts'),
      (m) => m.workerCommand,
    ),
  },
  report: {
    summary: 'a self-contained HTML report regenerated from a run directory',
    run: lazy(
      () => import('./report.ts'),
      (m) => m.reportCommand,
    ),
  },
  compare: {
    summary: 'evaluation runs side by side (table, overlaid curves)',
    run: lazy(
      () => import('./compare.ts'),
      (m) => m.compareCommand,
    ),
  },
  export: {
    summary: 'the trained evaluation network as an ONNX model, checked with ONNX Runtime',
    run: lazy(
      () => import('./export.ts'),
      (m) => m.exportCommand,
    ),
  },
  predict: {
    summary: 'the top classes of image files with a trained model (run directory or .onnx)',
    run: lazy(
      () => import('./predict.ts'),
      (m) => m.predictCommand,
    ),
  },
  params: {
    summary: 'parameter count of the evaluation network for a genotype',
    run: lazy(
      () => import('./params.ts'),
      (m) => m.paramsCommand,
    ),
  },
  schema: {
    summary: 'the JSON Schema of experiment files, for editors',
    run: lazy(
      () => import('./schema.ts'),
      (m) => m.schemaCommand,
    ),
  },
  doctor: {
    summary: 'report the backend, versions, threads, Jupyter, Chromium and GPU, and what to install',
    run: lazy(
      () => import('./doctor.ts'),
      (m) => () => m.doctor(),
    ),
  },
};

/** Subcommands from outside the library: the Jupyter kernel's (kernel/command.ts), added by bin/ednas.js. */
export function addCommand(name: string, command: Command): void {
  COMMANDS[name] = command;
}

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    `ednas ${VERSION} — EDNAS neural architecture search on TensorFlow.js`,
    '',
    'Usage: ednas <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help     show this help',
    '  -v, --version  show the version',
    '',
    'Environment:',
    '  EDNAS_BACKEND  force a backend: tensorflow | webgpu | wasm | cpu (default: the fastest that loads)',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '-h' || cmd === '--help' || cmd === 'help') {
    console.log(usage());
    return 0;
  }
  if (cmd === '-v' || cmd === '--version') {
    console.log(VERSION);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
  if (!command) {
    console.error(`ednas: unknown command '${cmd}'. Run 'ednas --help' for the list of commands.`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    console.error(`ednas ${cmd}: ${(describeFsError(e, 'a file could not be used') as Error).message}`);
    return e instanceof UsageError || e instanceof SettingError ? 2 : 1;
  }
}
