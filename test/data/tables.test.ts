import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCifar10 } from '../../src/data/cifar10.ts';
import { CIFAR10_SAMPLE } from '../../src/data/locate.ts';
import { ednasSplit } from '../../src/data/split.ts';
import { splitTable, summaryTable } from '../../src/data/tables.ts';
import { textTable } from '../../src/viz/text-table.ts';

const data = readCifar10(CIFAR10_SAMPLE);

test('splitTable counts each class in the weight split, the policy split and the test set', () => {
  const split = ednasSplit(data.train.labels, { seed: 1 });
  const t = splitTable(data.train, split, data.test);
  assert.deepEqual(t.columnNames(), ['class', 'weight', 'policy', 'test']);
  assert.equal(t.numRows(), 10);
  const sum = (c: string) => (t.array(c) as number[]).reduce((a, b) => a + b, 0);
  assert.equal(sum('weight'), 1280);
  assert.equal(sum('policy'), 320);
  assert.equal(sum('test'), 400);
  assert.deepEqual(t.object(0), { class: 'airplane', weight: 128, policy: 32, test: 40 });
});

test('summaryTable and its text form', () => {
  const t = summaryTable([
    { part: 'train', set: data.train },
    { part: 'test', set: data.test },
  ]);
  const text = textTable(t).split('\n');
  assert.equal(text[0], 'part   images  classes  shape');
  assert.equal(text[2], 'train    1600       10  32x32x3');
});
