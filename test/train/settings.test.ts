// Every setting has a type and a range in one schema: presets satisfy theirs, and each bad value is refused
// with a message naming the setting and what it may be.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applySets, checkConfig, SettingError } from '../../src/train/settings.ts';
import { SEARCH_PRESETS } from '../../src/cnn/presets.ts';
import { SEARCH_SCHEMA, PAPER_SEARCH } from '../../src/cnn/search-config.ts';
import { EVAL_PRESETS, EVAL_SCHEMA } from '../../src/cnn/eval-config.ts';
import { RNN_EVAL_PRESETS, RNN_EVAL_SCHEMA, RNN_SEARCH_PRESETS, RNN_SEARCH_SCHEMA } from '../../src/rnn/config.ts';

test('every preset satisfies its schema', () => {
  for (const [schema, presets] of [
    [SEARCH_SCHEMA, SEARCH_PRESETS],
    [EVAL_SCHEMA, EVAL_PRESETS],
    [RNN_SEARCH_SCHEMA, RNN_SEARCH_PRESETS],
    [RNN_EVAL_SCHEMA, RNN_EVAL_PRESETS],
  ] as const) {
    for (const [name, p] of Object.entries(presets))
      assert.deepEqual(checkConfig(schema, p.config, name), JSON.parse(JSON.stringify(p.config)), name);
  }
});

test('bad values are refused with the setting and its allowed values named', () => {
  const cases: [string, RegExp][] = [
    ['lr=true', /--set lr must be a number > 0, got 'true'/],
    ['augment=5', /--set augment must be true or false, got '5'/],
    ['lr=', /--set lr must be a number > 0, got ''/],
    ['C=-4', /--set C \(channels of the first cells\) must be an even integer >= 2, got '-4'/],
    ['C=1.5', /--set C .* must be an even integer >= 2, got '1\.5'/],
    ['C=3', /--set C .* must be an even integer >= 2, got '3'/],
    ['C=0', /must be an even integer >= 2, got '0'/],
    ['layers=0', /--set layers \(cells\) must be an integer >= 1, got '0'/],
    ['batchSize=0', /--set batchSize must be an integer >= 1, got '0'/],
    ['lr=-1', /--set lr must be a number > 0, got '-1'/],
    ['weightSteps=-1', /--set weightSteps \(cap on weight steps an epoch\) must be an integer >= 1, got '-1'/],
    ['epochs=0', /--set epochs must be an integer >= 1, got '0'/],
    ['policyFraction=1', /policyFraction .* must be a number in \(0, 1\), got '1'/],
    ['derive=best', /--set derive must be argmax or sample-best:K \(K >= 1\), got 'best'/],
    ['lr=NaN', /--set lr must be a number > 0, got 'NaN'/],
    ['__proto__=1', /--set __proto__: unknown setting; the settings are seed, C, layers/],
    ['constructor=1', /--set constructor: unknown setting/],
    ['toString=1', /--set toString: unknown setting/],
  ];
  for (const [set, message] of cases) {
    assert.throws(
      () => applySets(PAPER_SEARCH, [set], SEARCH_SCHEMA),
      (e: Error) => e instanceof SettingError && message.test(e.message),
      set,
    );
  }
  assert.equal(applySets(PAPER_SEARCH, ['lr=0.1', 'augment=false', 'derive=sample-best:4'], SEARCH_SCHEMA).lr, 0.1);
  assert.throws(
    () => applySets(RNN_SEARCH_PRESETS.ptb.config, ['dropout.output=1'], RNN_SEARCH_SCHEMA),
    /--set dropout\.output must be a number in \[0, 1\), got '1'/,
  );
  assert.throws(
    () => applySets(RNN_SEARCH_PRESETS.ptb.config, ['dropout.__proto__=0'], RNN_SEARCH_SCHEMA),
    /sets one of dropout\.output/,
  );
  assert.throws(
    () => applySets(EVAL_PRESETS.quick.config, ['schedule=linear'], EVAL_SCHEMA),
    /--set schedule must be one of cosine, step, got 'linear'/,
  );
});

test('a whole config (an experiment trial, a resumed checkpoint) is checked field by field', () => {
  assert.throws(
    () => checkConfig(SEARCH_SCHEMA, { ...PAPER_SEARCH, C: '16' }, 'trial 3'),
    /trial 3: C \(channels of the first cells\) must be an even integer >= 2, got "16"/,
  );
  const { lr: _, ...noLr } = PAPER_SEARCH;
  assert.throws(
    () => checkConfig(SEARCH_SCHEMA, noLr, 'the checkpoint'),
    /the checkpoint: lr is missing; it must be a number > 0/,
  );
  assert.throws(() => checkConfig(SEARCH_SCHEMA, { ...PAPER_SEARCH, hidden: 3 }, 'x'), /x: hidden is not a setting/);
  assert.throws(() => checkConfig(SEARCH_SCHEMA, null, 'x'), /x: the settings must be an object/);
});
