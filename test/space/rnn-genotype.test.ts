import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DARTS_V2_RNN,
  parseRnnGenotype,
  rnnGenotypeToDarts,
  rnnGenotypeToJson,
  validateRnnGenotype,
} from '../../src/space/rnn-genotype.ts';
import { GenotypeError } from '../../src/space/genotype.ts';

const DARTS_TEXT =
  "Genotype(recurrent=[('sigmoid', 0), ('relu', 1), ('relu', 1), ('identity', 1), ('tanh', 2), ('sigmoid', 5), " +
  "('tanh', 3), ('relu', 5)], concat=range(1, 9))";

test("DARTS' recurrent cell round-trips through DARTS' form and JSON", () => {
  assert.equal(rnnGenotypeToDarts(DARTS_V2_RNN), DARTS_TEXT);
  assert.deepEqual(parseRnnGenotype(rnnGenotypeToJson(DARTS_V2_RNN)), DARTS_V2_RNN);
  assert.deepEqual(DARTS_V2_RNN.recurrent[5], ['sigmoid', 5]);
  assert.deepEqual(DARTS_V2_RNN.concat, [1, 2, 3, 4, 5, 6, 7, 8]);
});

test('invalid recurrent genotypes are rejected with the entry and the fix named', () => {
  const bad = (g: unknown, pattern: RegExp) =>
    assert.throws(
      () => validateRnnGenotype(g),
      (e: Error) => e instanceof GenotypeError && pattern.test(e.message),
    );
  const ok = DARTS_V2_RNN.recurrent;
  bad({ recurrent: ok.slice(0, 7) }, /has 7 entries; the cell has 8 nodes/);
  bad(
    { recurrent: [['gelu', 0], ...ok.slice(1)] },
    /recurrent\[0\] \(node 1\): unknown activation "gelu"; the activations are tanh, relu, sigmoid, identity/,
  );
  bad(
    { recurrent: [ok[0], ['relu', 2], ...ok.slice(2)] },
    /recurrent\[1\] \(node 2\): input 2 must be an earlier node, 0..1/,
  );
  bad({ normal: [] }, /needs "recurrent"/);
  assert.throws(() => parseRnnGenotype('Genotype(normal=[])'), /field recurrent is missing/);
});
