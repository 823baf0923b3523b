// The report's numbers: mean, standard deviation and the paired t-test, against values computed
// independently (SciPy's scipy.stats.ttest_rel / t.sf).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { incompleteBeta, mean, pairedTest, sd, studentTwoSided } from '../../src/experiment/stats.ts';
import { comparisons, type Group } from '../../src/experiment/report.ts';

const close = (a: number, b: number, tol = 1e-6) => assert.ok(Math.abs(a - b) < tol, `${a} vs ${b}`);

test('mean and sample standard deviation', () => {
  assert.equal(mean([1, 2, 3, 4]), 2.5);
  close(sd([1, 2, 3, 4]), Math.sqrt(5 / 3));
  assert.ok(Number.isNaN(sd([1])));
});

test("Student's t: the two-sided p-value and the incomplete beta function", () => {
  close(incompleteBeta(0.5, 2, 2), 0.5);
  close(incompleteBeta(0.3, 1, 1), 0.3);
  close(studentTwoSided(0, 5), 1);
  close(studentTwoSided(2.0, 10), 0.07338803477074918, 1e-9); // scipy: 2 * t.sf(2.0, 10)
  close(studentTwoSided(12.706204736, 1), 0.05, 1e-8); // the 97.5% quantile of t(1)
  close(studentTwoSided(-2.776445105, 4), 0.05, 1e-8);
});

test('the paired t-test of seed-by-seed differences', () => {
  // scipy.stats.ttest_rel([0.56, 0.55, 0.57], [0.54, 0.55, 0.53]): t = 1.7320508, p = 0.2254033
  const r = pairedTest([0.56 - 0.54, 0.55 - 0.55, 0.57 - 0.53]);
  assert.equal(r.n, 3);
  close(r.mean, 0.02);
  close(r.t, 1.7320508075688772, 1e-9);
  close(r.p, 0.22540333075851657, 1e-9);
  const one = pairedTest([0.01]);
  assert.ok(Number.isNaN(one.t) && Number.isNaN(one.p), 'no test with one pair');
});

test('derived against random groups: paired by seed within one condition, signed so that better is positive', () => {
  const group = (name: string, source: string, values: number[], condition = 'c', higherIsBetter = true): Group => ({
    name,
    kind: 'evaluate',
    preset: 'quick',
    source,
    condition,
    metric: { name: higherIsBetter ? 'test_acc' : 'test_ppl', higherIsBetter },
    points: values.map((value, seed) => ({ seed, value, trial: `${name}-${seed}` })),
  });
  const cs = comparisons([
    group('d', 'derived', [0.6, 0.5]),
    group('r1', 'random', [0.5, 0.5]),
    group('r2', 'random', [0.4]),
    group('other', 'random', [0.1, 0.1], 'elsewhere'),
  ]);
  assert.deepEqual(
    cs.map((c) => [c.random, c.pairs, Number(c.mean.toFixed(6)), c.wins]),
    [
      ['r1', 2, 0.05, 1],
      ['r2', 1, 0.2, 1],
      ['mean of random cells', 1, 0.15, 1],
    ],
  );
  const ppl = comparisons([group('d', 'derived', [80, 90], 'p', false), group('r', 'random', [100, 95], 'p', false)]);
  assert.deepEqual(
    ppl.map((c) => [c.mean, c.wins]),
    [[12.5, 2]],
    'lower perplexity is better',
  );
});
