import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  genotypeFromDarts,
  genotypeFromJson,
  genotypeToDarts,
  genotypeToJson,
  parseGenotype,
  validateGenotype,
  GenotypeError,
} from '../../src/space/genotype.ts';

// DARTS' V2 cell as published in DARTS' genotypes.py.
const DARTS_V2 =
  "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), " +
  "('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], " +
  "reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', " +
  "0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=[2, 3, 4, 5])";
const referenceFile = new URL('../fixtures/genotype_darts_v2.json', import.meta.url);

test('DARTS V2: the JSON file and the DARTS string are the same genotype, and both round-trip', () => {
  const text = readFileSync(referenceFile, 'utf8');
  const fromJson = genotypeFromJson(text);
  const fromDarts = genotypeFromDarts(DARTS_V2);
  assert.deepEqual(fromJson, fromDarts);
  assert.equal(genotypeToJson(fromJson).replace(/\s+/g, ''), text.replace(/\s+/g, ''));
  assert.deepEqual(genotypeFromDarts(genotypeToDarts(fromJson)), fromJson);
  assert.match(genotypeToDarts(fromJson), /normal_concat=range\(2, 6\)/);
  assert.deepEqual(parseGenotype(DARTS_V2), fromJson);
  assert.deepEqual(parseGenotype(text), fromJson);
});

test('invalid genotypes are rejected with a message naming the bad entry', () => {
  const good = genotypeFromDarts(DARTS_V2);
  const cases: [unknown, RegExp][] = [
    [{ ...good, normal: good.normal.slice(0, 7) }, /genotype\.normal has 7 edges; .* so 8 edges/],
    [
      { ...good, reduce: good.reduce.map((p, k) => (k === 3 ? ['conv_7x1', 1] : p)) },
      /genotype\.reduce\[3\] \(node 3\): unknown operation "conv_7x1"; the operations are sep_conv_3x3/,
    ],
    [
      { ...good, normal: good.normal.map((p, k) => (k === 2 ? ['sep_conv_3x3', 3] : p)) },
      /genotype\.normal\[2\] \(node 3\): input 3 is out of range; node 3 reads nodes 0-2/,
    ],
    [
      { ...good, normal: good.normal.map((p, k) => (k === 0 ? ['sep_conv_3x3', -1] : p)) },
      /genotype\.normal\[0\] \(node 2\): input -1 is out of range/,
    ],
    [{ ...good, normal_concat: [2, 2, 7] }, /genotype\.normal_concat must list distinct nodes among 2-5/],
    [{ reduce: good.reduce }, /genotype\.normal is missing/],
    [null, /must be an object/],
  ];
  for (const [g, re] of cases)
    assert.throws(
      () => validateGenotype(g),
      (e: Error) => e instanceof GenotypeError && re.test(e.message),
      String(re),
    );
  assert.throws(() => genotypeFromDarts('Genotype(normal=[])'), /field reduce is missing|has 0 edges/);
  assert.throws(() => parseGenotype('hello'), /neither JSON \(starting with '{'\) nor DARTS' form/);
});
