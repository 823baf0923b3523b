// Every EDNAS operation's gradients against finite differences of its loss, on the reference cpu backend:
// the backend comparisons (wasm, webgpu against cpu) cannot see a gradient that is wrong everywhere alike.
// One random direction per input: (L(x + eps v) - L(x - eps v)) / 2 eps against <grad, v>, within 3% of
// the gradient's norm (the scale of <grad, v>), plus float32's rounding of the loss over the step. ReLU kinks
// and max-pool switches blur large steps and float32 blurs small ones, so the closest of three steps counts.
// A kink closer to the point than every step (a ReLU input within ~1e-5 of zero: about one input in 200) also
// moves the central difference, by half the change of slope, so the one-sided differences count too: the
// side without the kink is right. Kinks on both sides happen where x itself is near zero, so x is kept from
// it. A wrong gradient misses every estimate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OP_NAMES } from '../../src/space/ops.ts';
import { onBackend } from '../helpers/backends.ts';
import { SEED, normals, rng } from '../helpers/random.ts';
import { opCaseData, opCaseName, opGradients, opLoss, type OpCase } from '../helpers/op-gradients.ts';

const STEPS = [1e-3, 3e-4, 1e-4];

const cases: OpCase[] = [];
for (const op of OP_NAMES) for (const stride of [1, 2] as const) cases.push({ op, stride, size: 7, affine: false });
cases.push(
  { op: 'sep_conv_3x3', stride: 2, size: 8, affine: true },
  { op: 'dil_conv_5x5', stride: 2, size: 9, affine: true },
);

for (const [i, c] of cases.entries()) {
  test(`${opCaseName(c)}: gradients agree with finite differences on cpu`, async () => {
    await onBackend('cpu', async () => {
      const data = opCaseData(c, SEED + 500 + i);
      // x kept 0.1 from zero: the operations' first ReLU then has no kink within reach of the steps.
      data[0] = data[0].map((x) => x + Math.sign(x) * 0.1);
      const grads = await opGradients(c, data);
      const next = rng(SEED + 900 + i);
      grads.forEach((g, k) => {
        const input = k === 0 ? 0 : k + 1; // data holds x, r, then the weights
        const v = normals(g.length, next);
        const at = (t: number) =>
          opLoss(
            c,
            data.map((d, j) => (j === input ? d.map((x, n) => x + t * v[n]) : d)),
          );
        const analytic = g.reduce((s, x, n) => s + x * v[n], 0);
        const norm = Math.sqrt(g.reduce((s, x) => s + x * x, 0));
        const f0 = at(0);
        // Each step's estimates (central, forward, backward) and how far each may miss.
        const estimates = STEPS.map((eps) => {
          const [up, down] = [at(eps), at(-eps)];
          const slack = 0.03 * Math.max(norm, Math.abs(analytic)) + (16 * 2 ** -24 * Math.abs(f0)) / eps;
          const misses = [(up - down) / (2 * eps), (up - f0) / eps, (f0 - down) / eps].map((d) =>
            Math.abs(d - analytic),
          );
          return { eps, slack, miss: Math.min(...misses) };
        });
        assert.ok(
          estimates.some((e) => e.miss <= e.slack),
          `input ${input === 0 ? 'x' : `weight ${k}`}: gradient ${analytic.toFixed(4)} (norm ${norm.toFixed(3)}), ` +
            `finite differences miss it by ${estimates.map((e) => `${e.miss.toFixed(4)} (step ${e.eps})`).join(', ')}` +
            ` (EDNAS_TEST_SEED=${SEED})`,
        );
      });
    });
  });
}
