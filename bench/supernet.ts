// Speed and memory of one supernet child, ours at W worker threads against PyTorch at 1 thread and at
// every core, on the same machine, in one run (each side in its own process, so each peak RSS is its own).
//   npm run bench -- supernet [--genotype FILE] [--channels 8] [--layers 5] [--batch 32] [--size 32] [--steps 10]
//                            [--warmup 20] [--rounds 3] [--workers 1,2] [--backend webgpu,wasm] [--no-torch] [--check]
// --genotype defaults to DARTS V2 (data/genotypes/darts_v2.json); --check reads the options and the genotype
// and prints the setting without measuring.
// --backend takes a list: each backend is measured in its own process (webgpu: one worker, its adapter in the row).
// weight_step_ms: median forward + backward + SGD update of that fixed child on random data (Search.weightStep);
// policy_step_ms: median no-grad forward + accuracy + REINFORCE step (Search.policyStep).
// Both sides first take --warmup steps of each kind, untimed: V8 runs a wasm function in its baseline tier
// until it has been called often enough, then swaps in optimized code compiled in the background (on a
// machine whose cores are all training, that takes about 20 steps), and a search runs thousands of steps.
// Prints a line per measurement and round, then a summary line with the ratios to PyTorch at every core.
import { readGenotype } from '../src/tasks/genotype-file.ts';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { initBackend, parseBackendName } from '../src/backend/select.ts';
import { describeAdapter } from '../src/backend/webgpu.ts';
import { STEP_OPTIONS, timeChildSteps } from './child-steps.ts';
import { defaultWorkers } from '../src/backend/device.ts';
import { commandWorkers } from '../src/cli/workers.ts';

type Row = Record<string, unknown> & { weight_step_ms: number; policy_step_ms: number; peak_rss_mb: number };

/** One measurement of ours in this process: W workers (`--one`). */
async function measureOurs(values: Record<string, string | boolean | undefined>, W: number): Promise<Row> {
  const [C, L, B, S, steps, warmup] = [
    values.channels,
    values.layers,
    values.batch,
    values.size,
    values.steps,
    values.warmup,
  ].map(Number);
  const backend = await initBackend(values.backend ? parseBackendName(String(values.backend), '--backend') : undefined);
  const { workers, row } = await timeChildSteps(
    readGenotype(String(values.genotype)),
    { C, L, B, S, steps, warmup },
    W,
  );
  const cpu = process.cpuUsage();
  return {
    impl: 'ednas',
    backend: backend.name,
    workers,
    threads: workers * backend.threads,
    ...(backend.adapter
      ? { adapter: describeAdapter(backend.adapter), adapter_software: backend.adapter.software }
      : {}),
    ...row,
    peak_rss_mb: +(process.resourceUsage().maxRSS / 1024).toFixed(1),
    cpu_per_wall: +((cpu.user + cpu.system) / 1000 / performance.now()).toFixed(2),
  };
}

function runChild(args: string[], what: string): Row | { error: string } {
  const r = spawnSync(args[0], args.slice(1), { encoding: 'utf8' });
  if (r.status !== 0)
    return { error: `${what}: ${(r.stderr || r.error?.message || 'failed').trim().split('\n').pop()}` };
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

export async function benchSupernet(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      genotype: { type: 'string', default: fileURLToPath(new URL('../data/genotypes/darts_v2.json', import.meta.url)) },
      ...STEP_OPTIONS,
      rounds: { type: 'string', default: '3' },
      workers: { type: 'string' },
      backend: { type: 'string' },
      'no-torch': { type: 'boolean' },
      one: { type: 'boolean' },
      check: { type: 'boolean' },
    },
  });
  const whole = (
    name: 'channels' | 'layers' | 'batch' | 'size' | 'steps' | 'warmup' | 'rounds',
    least: number,
  ): number => {
    const v = Number(values[name]);
    if (!Number.isInteger(v) || v < least)
      throw new Error(`--${name} ${values[name]} is not a whole number >= ${least}`);
    return v;
  };
  const [C, L, B, S, steps, warmup, rounds] = [
    whole('channels', 2),
    whole('layers', 1),
    whole('batch', 1),
    whole('size', 8),
    whole('steps', 1),
    whole('warmup', 0),
    whole('rounds', 1),
  ];
  const workers = values.workers
    ? values.workers.split(',').map(Number)
    : [commandWorkers(undefined) ?? defaultWorkers(B)];
  readGenotype(values.genotype); // a missing or bad genotype file: one line now, not an error in every child
  if (values.one) {
    console.log(JSON.stringify(await measureOurs(values, workers[0])));
    return;
  }
  const setting = {
    bench: 'supernet',
    genotype: values.genotype,
    channels: C,
    layers: L,
    batch: B,
    size: S,
    steps,
    warmup,
    rounds,
    cores: os.availableParallelism(),
  };
  if (values.check) {
    console.log(JSON.stringify({ ...setting, workers, check: 'options and genotype read; nothing measured' }));
    return;
  }
  const self = fileURLToPath(new URL('./main.ts', import.meta.url));
  const drop = (names: string[]) =>
    argv.filter(
      (a, k) => !names.includes(a) && !names.includes(argv[k - 1]) && !names.some((n) => a.startsWith(`${n}=`)),
    );
  const passOn = drop(['--workers', '--backend', '--rounds']);
  const runs: { what: string; args: string[] }[] = [];
  for (const backend of values.backend ? String(values.backend).split(',') : [undefined]) {
    const on = backend ? ['--backend', backend] : [];
    // The webgpu backend trains in one thread: worker threads would each need a GPU device.
    for (const W of backend === 'webgpu' ? [1] : workers)
      runs.push({
        what: `ours${backend ? ` on ${backend}` : ''} at W=${W}`,
        args: [
          process.execPath,
          '--import',
          'tsx',
          self,
          'supernet',
          ...passOn,
          ...on,
          '--one',
          '--workers',
          String(W),
        ],
      });
  }
  if (!values['no-torch']) {
    const script = fileURLToPath(new URL('./supernet_torch.py', import.meta.url));
    // PyTorch at 1 thread and at every core (pip's builds take every core; Debian's python3-torch starts at 1).
    for (const threads of [1, os.availableParallelism()])
      runs.push({
        what: `PyTorch at ${threads} threads`,
        args: [
          '/usr/bin/python3',
          script,
          String(values.genotype),
          ...[C, L, B, S, steps, threads, warmup].map(String),
        ],
      });
  }
  // Rounds take every measurement in turn, so a burst of load from elsewhere on a shared machine lands on
  // one round of each side rather than on all of one side; the summary takes each one's median round.
  const rows = new Map<string, Row[]>(runs.map((r) => [r.what, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const { what, args } of runs) {
      const r = runChild(args, what);
      console.log(JSON.stringify({ ...setting, round, ...r }));
      if (!('error' in r)) rows.get(what)!.push(r);
    }
  }
  const medianRow = (rs: Row[]) => [...rs].sort((a, b) => a.weight_step_ms - b.weight_step_ms)[(rs.length - 1) >> 1];
  const medians = [...rows.values()].filter((rs) => rs.length > 0).map(medianRow);
  const torch = medians.filter((r) => r.impl === 'pytorch').at(-1);
  if (torch) {
    const ratios = medians
      .filter((r) => r.impl === 'ednas')
      .map((r) => ({
        workers: r.workers,
        weight_step_ms: r.weight_step_ms,
        ratio_weight_step: +(r.weight_step_ms / torch.weight_step_ms).toFixed(3),
        policy_step_ms: r.policy_step_ms,
        ratio_policy_step: +(r.policy_step_ms / torch.policy_step_ms).toFixed(3),
        peak_rss_mb: r.peak_rss_mb,
        ratio_peak_rss: +(r.peak_rss_mb / torch.peak_rss_mb).toFixed(3),
      }));
    console.log(
      JSON.stringify({
        ...setting,
        summary: 'ours / PyTorch at every core, each the round with the median weight step',
        pytorch_threads: torch.threads,
        pytorch_weight_step_ms: torch.weight_step_ms,
        pytorch_policy_step_ms: torch.policy_step_ms,
        pytorch_peak_rss_mb: torch.peak_rss_mb,
        ratios,
      }),
    );
  }
}
