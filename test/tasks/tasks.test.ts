// The task registry (tasks/tasks.ts), the one list the CLI and experiments read: every preset of every task
// is a valid configuration of its schema, preset names are unique across tasks, and each task's genotypes
// round-trip through the JSON an experiment carries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { presetNames, TASKS, taskOfPreset } from '../../src/tasks/tasks.ts';
import { checkConfig } from '../../src/train/settings.ts';
import { Rng } from '../../src/random/rng.ts';

const KINDS = ['search', 'evaluate'] as const;

test('every preset of every task is a valid configuration of its schema, and names its task', () => {
  for (const task of Object.values(TASKS))
    for (const kind of KINDS)
      for (const [name, preset] of Object.entries(task.presets[kind])) {
        assert.ok(preset.summary.length > 0, `${task.name} ${kind} ${name} has a summary`);
        checkConfig(task.schemas[kind], preset.config, `${task.name} ${kind} preset ${name}`);
        assert.equal(taskOfPreset(kind, name), task, `${name} belongs to ${task.name}`);
      }
});

test('preset names are unique across tasks, and an unknown one belongs to none', () => {
  for (const kind of KINDS) {
    const names = presetNames(kind);
    assert.equal(new Set(names).size, names.length, `${kind}: ${names.join(', ')}`);
    assert.equal(taskOfPreset(kind, 'no-such-preset'), undefined);
  }
});

test("each task's random genotype round-trips through an experiment's JSON and DARTS' form", () => {
  for (const task of Object.values(TASKS)) {
    const g = task.random(new Rng(7));
    assert.deepEqual(task.parseGenotype(task.genotypeJson(g)), g, task.name);
    assert.match(task.darts(g), /^Genotype\(/, task.name);
  }
});
