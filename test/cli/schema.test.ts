// `ednas schema experiment` prints a JSON Schema that a standard validator (ajv, draft 2020-12) compiles;
// it accepts every example experiment file and refuses what `ednas experiment` refuses, for the same
// reasons, since both come from the settings' zod types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { checkExperiment } from '../../src/experiment/file.ts';
import { expandExperiment } from '../../src/experiment/expand.ts';
import { SEARCH_SCHEMA } from '../../src/cnn/search-config.ts';
import { RNN_SEARCH_SCHEMA } from '../../src/rnn/config.ts';
import { zodOf, zodSettings } from '../../src/train/settings.ts';

const bin = new URL('../../bin/ednas.js', import.meta.url).pathname;
const EXAMPLES = new URL('../../notebooks/experiments/', import.meta.url).pathname;

const printed = spawnSync(process.execPath, [bin, 'schema', 'experiment'], { encoding: 'utf8' });
const schema = JSON.parse(printed.stdout);
const validate = new Ajv2020({ allErrors: true }).compile(schema);
const valid = (x: unknown) => validate(x) || validate.errors!.map((e) => `${e.instancePath} ${e.message}`).join('; ');

test('the printed schema compiles and accepts every example experiment file', () => {
  assert.equal(printed.status, 0, printed.stderr);
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  const files = readdirSync(EXAMPLES).filter((f) => /\.(json|ya?ml)$/.test(f));
  assert.ok(files.length >= 2);
  for (const f of files) {
    const text = readFileSync(join(EXAMPLES, f), 'utf8');
    assert.equal(valid(f.endsWith('.json') ? JSON.parse(text) : parseYaml(text)), true, f);
  }
});

test('what the schema refuses, ednas experiment refuses too', () => {
  const search = (extra: Record<string, unknown>) => ({ trials: [{ task: 'search', preset: 'quick', ...extra }] });
  const refused: [unknown, RegExp][] = [
    [search({ set: { C: 3 } }), /C \(channels of the first cells\) must be an even integer >= 2, got '3'/],
    [search({ set: { policyFraction: [0.2, 1] } }), /policyFraction .* must be a number in \(0, 1\), got '1'/],
    [search({ set: { derive: 'best' } }), /derive must be argmax or sample-best:K/],
    [search({ set: { schedule: 'linear' } }), /schedule must be one of cosine, step/],
    [search({ set: { nosuch: 1 } }), /nosuch: unknown setting/],
    [search({ preset: 'fast' }), /unknown search preset 'fast'/],
    [search({ seeds: [-1] }), /must be an integer >= 0/],
    [search({ colour: 'red' }), /colour is not a field here/],
    [{ trials: [] }, /trials must be a list of grid blocks/],
    [{ name: 'a b', trials: search({}).trials }, /name must be letters, digits/],
  ];
  for (const [x, message] of refused) {
    assert.notEqual(valid(x), true, JSON.stringify(x));
    assert.throws(() => expandExperiment(checkExperiment(x, 'x.json')), message, JSON.stringify(x));
  }
  const set = { epochs: [1, 2], 'dropout.output': 0.5 };
  const fine = { trials: [{ task: 'search', preset: ['quick', 'ptb-quick'], set }] };
  assert.equal(valid(fine), true);
  // The derivation rule is text with its own grammar: the schema says a string; its parser decides.
  assert.equal(valid(search({ set: { derive: 'sample-best:4' } })), true);
});

test('settings are checked by their zod types: the same decisions as the messages state', () => {
  const C = zodOf(SEARCH_SCHEMA.C);
  assert.deepEqual(
    [2, 4, 3, 0, 1.5, '4'].map((v) => C.safeParse(v).success),
    [true, true, false, false, false, false],
  );
  const derive = zodOf(SEARCH_SCHEMA.derive);
  const methods = ['argmax', 'sample-best:3', 'sample-best:0', 'best'];
  assert.deepEqual(
    methods.map((v) => derive.safeParse(v).success),
    [true, true, false, false],
  );
  const rnn = zodSettings(RNN_SEARCH_SCHEMA);
  assert.equal(rnn.safeParse({}).success, false);
  assert.match(String(zodOf(RNN_SEARCH_SCHEMA.dropout).description), /group of settings/);
});

test('ednas schema: help, and an unknown schema named', () => {
  const help = spawnSync(process.execPath, [bin, 'schema', '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Usage: ednas schema experiment/);
  const bad = spawnSync(process.execPath, [bin, 'schema', 'search'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /ednas schema knows 'experiment', got 'search'/);
});
