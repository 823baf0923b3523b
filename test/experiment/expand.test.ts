// Experiment files (JSON and YAML) and their grids: what a block expands to, trial ids, settings checked
// per trial with errors that name the trial and the setting, genotypes read or drawn, and the examples
// in notebooks/experiments/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkExperiment, readExperimentFile } from '../../src/experiment/file.ts';
import { expandExperiment, type TrialSpec } from '../../src/experiment/expand.ts';
import { tempDir } from '../helpers/fixtures.ts';

const EXAMPLES = new URL('../../notebooks/experiments/', import.meta.url).pathname;
const DARTS_V2 = new URL('../fixtures/genotype_darts_v2.json', import.meta.url).pathname;

const expand = (raw: unknown) => expandExperiment(checkExperiment(raw, 'x.json'));
const ids = (ts: TrialSpec[]) => ts.map((t) => t.id);

test('a grid crosses presets, listed --set values and seeds; search-then-evaluate evaluates each search', () => {
  const trials = expand({
    trials: [
      { name: 'sweep', task: 'search', preset: 'quick', set: { C: 2, policyLr: [0.01, 0.05] }, seeds: [0, 1] },
      {
        name: 'cells',
        task: 'search-then-evaluate',
        search: { preset: 'quick', seeds: [3] },
        evaluate: { preset: ['quick', 'cpu-proxy'], seeds: [0, 1] },
      },
    ],
  });
  assert.deepEqual(ids(trials), [
    'sweep-policyLr=0.01-seed0',
    'sweep-policyLr=0.01-seed1',
    'sweep-policyLr=0.05-seed0',
    'sweep-policyLr=0.05-seed1',
    'cells-search-seed3',
    'cells-search-seed3-eval-quick-seed0',
    'cells-search-seed3-eval-quick-seed1',
    'cells-search-seed3-eval-cpu-proxy-seed0',
    'cells-search-seed3-eval-cpu-proxy-seed1',
  ]);
  const first = trials[0];
  assert.deepEqual(first.sets, ['C=2', 'policyLr=0.01']);
  assert.equal(first.config.C, 2);
  assert.equal(first.config.policyLr, 0.01);
  assert.equal(first.config.seed, 0);
  assert.equal(first.group, 'sweep-policyLr=0.01');
  const evals = trials.filter((t) => t.after === 'cells-search-seed3');
  assert.equal(evals.length, 4);
  assert.ok(
    evals.every((t) => t.kind === 'evaluate' && t.genotype?.source === 'derived' && t.genotype.json === undefined),
  );
  // Only the seed differs within a condition: quick seeds pair with each other, not with cpu-proxy.
  assert.equal(evals[0].condition, evals[1].condition);
  assert.notEqual(evals[0].condition, evals[2].condition);
});

test('evaluate blocks train genotype files, run directories and random:K cells, the same cells for every seed', () => {
  const root = tempDir();
  mkdirSync(join(root, 'search-run'));
  copyFileSync(DARTS_V2, join(root, 'search-run', 'genotype.json'));
  const trials = expand({
    seed: 5,
    trials: [
      {
        name: 'b',
        task: 'evaluate',
        preset: 'quick',
        genotypes: ['random:2', DARTS_V2, join(root, 'search-run')],
        seeds: [0, 1],
      },
    ],
  });
  assert.deepEqual(ids(trials), [
    'b-random-1-seed0',
    'b-random-1-seed1',
    'b-random-2-seed0',
    'b-random-2-seed1',
    'b-genotype_darts_v2-seed0',
    'b-genotype_darts_v2-seed1',
    'b-search-run-seed0',
    'b-search-run-seed1',
  ]);
  assert.equal(trials[0].genotype!.json, trials[1].genotype!.json, 'random-1 is one cell, trained with each seed');
  assert.notEqual(trials[0].genotype!.json, trials[2].genotype!.json);
  assert.deepEqual(
    ids(expand({ seed: 5, trials: [{ name: 'b', task: 'evaluate', preset: 'quick', genotypes: ['random:2'] }] })),
    ['b-random-1-seed0', 'b-random-2-seed0'],
  );
  assert.equal(
    expand({ seed: 5, trials: [{ name: 'b', task: 'evaluate', preset: 'quick', genotypes: ['random:1'] }] })[0]
      .genotype!.json,
    trials[0].genotype!.json,
    'the draws depend on the seed alone',
  );
  assert.equal(trials[4].genotype!.source, 'file');
  assert.equal(trials[6].genotype!.source, 'run');
  assert.equal(trials[4].genotype!.json, trials[6].genotype!.json);
});

test('errors name the file, the trial or the place, and what is allowed', () => {
  const bad = (raw: unknown, message: RegExp) => assert.throws(() => expand(raw), message);
  bad(
    { trials: [{ task: 'search', preset: 'quick', set: { C: 3 } }] },
    /x\.json: trial search-seed0: .*--set C \(channels of the first cells\) must be an even integer >= 2, got '3'/,
  );
  bad(
    { trials: [{ name: 'a', task: 'search', preset: 'quick', set: { chanels: 4 } }] },
    /trial a-seed0: .*--set chanels: unknown setting; the settings are seed, C, layers/,
  );
  bad(
    {
      trials: [
        {
          name: 'a',
          task: 'search-then-evaluate',
          search: { preset: 'quick' },
          evaluate: { preset: 'quick', set: { lr: -1 } },
        },
      ],
    },
    /trial a-search-seed0-eval-seed0: .*lr must be a number > 0/,
  );
  bad(
    { trials: [{ task: 'search', preset: 'huge' }] },
    /trials\[0\]\.preset: unknown search preset 'huge'; the presets are quick, cpu-proxy/,
  );
  bad(
    {
      trials: [
        { name: 'a', task: 'search-then-evaluate', search: { preset: 'quick' }, evaluate: { preset: 'ptb-quick' } },
      ],
    },
    /search preset 'quick' is of the cnn task and the evaluate preset 'ptb-quick' of the rnn task/,
  );
  bad(
    { trials: [{ task: 'evaluate', preset: 'quick', genotypes: ['nowhere.json'] }] },
    /trials\[0\]\.genotypes\[0\]: no file or run directory .*nowhere\.json \(relative paths start at the project root/,
  );
  bad({ trials: [{ task: 'evaluate', preset: 'quick', genotypes: ['random:0'] }] }, /random:K takes K in 1\.\.1000/);
  bad(
    { trials: [{ task: 'evaluate', preset: 'quick', genotypes: ['random'] }] },
    /write random:K for K random genotypes/,
  );
  bad({ trials: [{ task: 'evaluate', preset: 'quick' }] }, /trials\[0\]\.genotypes is missing/);
  bad({ trials: [{ task: 'search', preset: 'quick', set: { seed: 1 } }] }, /list the seeds in "seeds", not in "set"/);
  bad({ trials: [{ task: 'search', preset: 'quick', seeds: [1, 1] }] }, /trials\[0\]\.seeds lists a seed twice/);
  bad(
    {
      trials: [
        { task: 'search', preset: 'quick' },
        { task: 'search', preset: 'cpu-proxy' },
      ],
    },
    /two blocks named "search"/,
  );
  bad(
    { trials: [{ task: 'train', preset: 'quick' }] },
    /trials\[0\]\.task must be one of search, evaluate, search-then-evaluate, got "train"/,
  );
  bad(
    { trials: [{ task: 'search', preset: 'quick', seed: 1 }] },
    /trials\[0\]\.seed is not a field here; the fields are name, task, preset, set, seeds/,
  );
  bad({ trials: [] }, /trials must be a list of grid blocks/);
  bad({ trials: [{ task: 'search', preset: 'quick', set: { C: [] } }] }, /trials\[0\]\.set\.C is an empty list/);
  bad({ trails: [] }, /the experiment\.trails is not a field here/);
});

test('YAML and JSON files read the same; a broken file says where', () => {
  const root = tempDir();
  const yaml = join(root, 'e.yaml');
  writeFileSync(
    yaml,
    'name: e\ntrials:\n  - task: search\n    preset: quick\n    set: { C: 2, policyLr: [0.01, 0.05] }\n    seeds: ' +
      '[0, 1]\n',
  );
  const json = join(root, 'e.json');
  writeFileSync(
    json,
    JSON.stringify({
      name: 'e',
      trials: [{ task: 'search', preset: 'quick', set: { C: 2, policyLr: [0.01, 0.05] }, seeds: [0, 1] }],
    }),
  );
  assert.deepEqual(expandExperiment(readExperimentFile(yaml)), expandExperiment(readExperimentFile(json)));
  writeFileSync(yaml, 'trials: [\n  - a\n');
  assert.throws(() => readExperimentFile(yaml), /e\.yaml is not valid YAML: .*line/);
  writeFileSync(json, '{"trials": [}');
  assert.throws(() => readExperimentFile(json), /e\.json is not valid JSON/);
  assert.throws(
    () => readExperimentFile(join(root, 'e.toml')),
    /cannot read the experiment file .*e\.toml: no such file/,
  );
  writeFileSync(join(root, 'e.toml'), '');
  assert.throws(() => readExperimentFile(join(root, 'e.toml')), /an experiment file is \.json, \.yaml or \.yml/);
});

test('the examples in notebooks/experiments/ expand; derived-vs-random is the experiment the issue asks for', () => {
  for (const f of readdirSync(EXAMPLES).filter((n) => /\.(json|ya?ml)$/.test(n)))
    assert.ok(expandExperiment(readExperimentFile(join(EXAMPLES, f))).length > 0, f);
  assert.equal(expandExperiment(readExperimentFile(join(EXAMPLES, 'tiny.json'))).length, 4);
  const x = readExperimentFile(join(EXAMPLES, 'derived-vs-random.json'));
  assert.equal(x.data, 'data/cache/cifar10');
  const trials = expandExperiment(x);
  const searches = trials.filter((t) => t.kind === 'search');
  assert.ok(
    searches.length >= 1 &&
      searches.every((t) => t.preset === 'cpu-proxy' && [1, 2].includes(t.config.policyWarmupEpochs as number)),
  );
  const evals = trials.filter((t) => t.kind === 'evaluate');
  assert.ok(evals.every((t) => t.preset === 'cpu-proxy'));
  const randomCells = new Set(evals.filter((t) => t.genotype?.source === 'random').map((t) => t.genotype!.label));
  assert.equal(randomCells.size, 3);
  const seedsOf = (pred: (t: TrialSpec) => boolean) => evals.filter(pred).map((t) => t.seed);
  assert.ok(seedsOf((t) => t.genotype?.source === 'derived').length >= 2);
  for (const cell of randomCells)
    assert.deepEqual(
      seedsOf((t) => t.genotype?.label === cell),
      seedsOf((t) => t.genotype?.source === 'derived' && t.after === searches[0].id),
    );
  assert.equal(
    new Set(evals.map((t) => t.condition)).size,
    1,
    'derived and random cells are trained with the same settings',
  );
});
