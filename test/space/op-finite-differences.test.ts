// Every EDNAS operation's gradients against finite differences of its loss, on the reference cpu backend:
// the backend comparisons (wasm, webgpu against cpu) cannot see a gradient that is wrong everywhere alike.
// One random direction per input: (L(x + eps v) - L(x - eps v)) / 2 eps against <grad, v>, within 3% of
// the gradient's norm (the scale of <grad, v>). ReLU kinks and max-pool switches blur large steps and
// float32 blurs small ones, so the closest of three steps counts; a wrong gradient misses at all three.
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
      const grads = await opGradients(c, data);
      const next = rng(SEED + 900 + i);
      grads.forEach((g, k) => {
        const input = k === 0 ? 0 : k + 1; // data holds x, r, then the weights
        const v = normals(g.length, next);
        const fd = (eps: number) => {
          const moved = (sign: number) =>
            opLoss(
              c,
              data.map((d, j) => (j === input ? d.map((x, n) => x + sign * eps * v[n]) : d)),
            );
          return (moved(1) - moved(-1)) / (2 * eps);
        };
        const analytic = g.reduce((s, x, n) => s + x * v[n], 0);
        const norm = Math.sqrt(g.reduce((s, x) => s + x * x, 0));
        const misses = STEPS.map((eps) => Math.abs(fd(eps) - analytic));
        assert.ok(
          Math.min(...misses) <= 0.03 * Math.max(norm, Math.abs(analytic)),
          `input ${input === 0 ? 'x' : `weight ${k}`}: gradient ${analytic.toFixed(4)} (norm ${norm.toFixed(3)}), ` +
            `finite differences miss it by ${misses.map((m) => m.toFixed(4)).join(', ')} (EDNAS_TEST_SEED=${SEED})`,
        );
      });
    });
  });
}
