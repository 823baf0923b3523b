// Every EDNAS operation, both strides, odd and even sizes, batch > 1: gradients on wasm (with this
// project's kernels) equal those of the reference cpu backend within 1e-4 relative error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OP_NAMES } from '../../src/space/ops.ts';
import { onBackend } from '../helpers/backends.ts';
import { SEED, relativeError } from '../helpers/random.ts';
import { opCaseData, opCaseName, opGradients, type OpCase } from '../helpers/op-gradients.ts';

const cases: OpCase[] = [];
for (const op of OP_NAMES)
  for (const stride of [1, 2] as const) for (const size of [7, 8]) cases.push({ op, stride, size, affine: false });
cases.push(
  { op: 'sep_conv_3x3', stride: 1, size: 8, affine: true },
  { op: 'dil_conv_5x5', stride: 2, size: 9, affine: true },
);

for (const [i, c] of cases.entries()) {
  test(`${opCaseName(c)}: wasm gradients equal cpu`, async () => {
    const data = opCaseData(c, SEED + i);
    const ref = await onBackend('cpu', () => opGradients(c, data));
    const got = await onBackend('wasm', () => opGradients(c, data));
    assert.equal(got.length, data.length - 1);
    got.forEach((g, k) => {
      const err = relativeError(g, ref[k]);
      assert.ok(err < 1e-4, `gradient ${k} differs: relative error ${err.toExponential(2)} (EDNAS_TEST_SEED=${SEED})`);
    });
  });
}
