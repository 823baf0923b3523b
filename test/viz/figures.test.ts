// Figure builders on small recorded tables: trace counts, axis titles, values taken from the tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Policy } from '../../src/policy/policy.ts';
import {
  comparisonBarsFigure,
  operationFigure,
  seedPointsFigure,
  operationHeatmapFigure,
  rewardFigure,
  stepFigure,
  structureFigure,
  structureHeatmapFigure,
  trainingFigure,
} from '../../src/viz/figures.ts';
import { cellDiagram } from '../../src/viz/cell-diagram.ts';
import { genotypeFromJson } from '../../src/space/genotype.ts';
import { readFileSync } from 'node:fs';

const epochs = [1, 2, 3].map((epoch) => ({
  epoch,
  mean_reward: 0.1 * epoch,
  baseline: 0.09 * epoch,
  entropy: 47 - epoch,
  train_loss: 2 / epoch,
  train_acc: 0.2 * epoch,
  test_acc: 0.15 * epoch,
}));
const p0 = new Policy();
const p1 = new Policy();
p1.logits[112 + 14 + 3] = 2; // reduce cell, edge 0, operation 3 (dil_conv_5x5)
const history = [
  { epoch: 0, probabilities: p0.probabilities() },
  { epoch: 1, probabilities: p1.probabilities() },
];

test('reward figure: reward, baseline and entropy (right axis) per epoch, from the table', () => {
  const f = rewardFigure(epochs);
  assert.deepEqual(
    f.data.map((d) => d.name),
    ['mean reward', 'baseline', 'entropy'],
  );
  assert.deepEqual(f.data[0].y, [0.1, 0.2, 0.30000000000000004]);
  assert.equal(f.data[2].yaxis, 'y2');
  assert.equal((f.layout.xaxis as { title: { text: string } }).title.text, 'epoch');
});

test(
  'operation figures: 7 traces of mean probabilities; ' + 'the heatmap has 14 edges x 7 ops and a frame per epoch',
  () => {
    const lines = operationFigure(history, 'reduce');
    assert.equal(lines.data.length, 7);
    assert.ok((lines.data[3].y as number[])[1] > (lines.data[0].y as number[])[1]);
    const heat = operationHeatmapFigure(history, 'reduce');
    const z = heat.data[0].z as number[][];
    assert.equal(z.length, 14);
    assert.equal(z[0].length, 7);
    assert.ok(z[0][3] > 0.5);
    assert.deepEqual(
      heat.frames!.map((f) => f.name),
      ['0', '1'],
    );
    assert.equal((heat.layout.sliders as { steps: unknown[] }[])[0].steps.length, 2);
    assert.equal((structureFigure(p0.probabilities(), 'normal').data[0].z as unknown[]).length, 4);
  },
);

test('training and comparison figures; cell diagrams label every edge with its operation', () => {
  const t = trainingFigure('t', epochs);
  assert.deepEqual(
    t.data.map((d) => d.name),
    ['train loss', 'train accuracy', 'test accuracy'],
  );
  const bars = comparisonBarsFigure([{ name: 'derived', test_acc: 0.6, params: 12345 }]);
  assert.deepEqual(bars.data[0].text, ['12.3k params']);
  const g = genotypeFromJson(readFileSync(new URL('../fixtures/genotype_darts_v2.json', import.meta.url), 'utf8'));
  const svg = cellDiagram(g, 'reduce');
  assert.equal((svg.match(/>max_pool_3x3</g) ?? []).length, 5);
  assert.equal((svg.match(/>skip_connect</g) ?? []).length, 3);
  assert.match(svg, /^<svg [^>]*aria-label="reduce cell"/);
});

test('step figure: weight steps and policy steps on one axis, in order', () => {
  const steps = [
    { phase: 'weights', loss: 2.3, accuracy: 0.1, reward: null, baseline: null },
    { phase: 'weights', loss: 2.2, accuracy: 0.2, reward: null, baseline: null },
    { phase: 'policy', loss: null, accuracy: null, reward: 0.15, baseline: 0.15 },
  ];
  const f = stepFigure(steps);
  assert.deepEqual(f.data[0].x, [1, 2]);
  assert.deepEqual(f.data[2].x, [3]);
  assert.deepEqual(f.data[2].y, [0.15]);
});

test('structure over the epochs: 4 nodes x 5 inputs (unavailable inputs empty), a frame per epoch, axis titles', () => {
  const f = structureHeatmapFigure(history, 'normal');
  const z = f.data[0].z as (number | null)[][];
  assert.deepEqual(
    z.map((row) => row.filter((v) => v !== null).length),
    [2, 3, 4, 5],
  );
  assert.equal(f.frames!.length, 2);
  assert.equal((f.layout.yaxis as { title: { text: string } }).title.text, 'operation node');
  assert.equal((f.layout.xaxis as { title: { text: string } }).title.text, 'input');
});

test("seed points: every seed's value per group, beside the group's mean with its standard deviation", () => {
  const f = seedPointsFigure('Evaluations', 'test_acc', [
    {
      name: 'derived',
      points: [
        { seed: 0, value: 0.5 },
        { seed: 1, value: 0.7 },
      ],
    },
    { name: 'random-1', points: [{ seed: 0, value: 0.4 }] },
  ]);
  const [points, means] = f.data as { x: string[]; y: number[]; text?: string[]; error_y?: { array: number[] } }[];
  assert.deepEqual(points.x, ['derived', 'derived', 'random-1']);
  assert.deepEqual(points.y, [0.5, 0.7, 0.4]);
  assert.deepEqual(points.text, ['seed 0', 'seed 1', 'seed 0']);
  assert.deepEqual(means.x, ['derived', 'random-1']);
  assert.ok(Math.abs(means.y[0] - 0.6) < 1e-12);
  assert.ok(Math.abs(means.error_y!.array[0] - Math.SQRT2 / 10) < 1e-12, 'sample standard deviation');
  assert.equal(means.error_y!.array[1], 0, 'one seed: no spread drawn');
  assert.equal((f.layout.yaxis as { title: { text: string } }).title.text, 'test_acc');
});
