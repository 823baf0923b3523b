// Genotype files (tasks/genotype-file.ts, Node): either form read, for both tasks; a missing or broken file
// named. The genotypes themselves (parsing, validation) are space/'s, tested in test/space/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readGenotype, readRnnGenotype } from '../../src/tasks/genotype-file.ts';
import { genotypeFromDarts, genotypeToJson } from '../../src/space/genotype.ts';
import { DARTS_V2_RNN, rnnGenotypeToDarts, rnnGenotypeToJson } from '../../src/space/rnn-genotype.ts';
import { tempDir } from '../helpers/fixtures.ts';

// DARTS' V2 cell as published in DARTS' genotypes.py.
const DARTS_V2 =
  "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), " +
  "('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], " +
  "reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', " +
  "0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=[2, 3, 4, 5])";

test('convolutional genotype files in either form are read; a missing or broken file is named', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'g.txt'), `${DARTS_V2}\n`);
  writeFileSync(join(dir, 'g.json'), genotypeToJson(genotypeFromDarts(DARTS_V2)));
  assert.equal(readGenotype(join(dir, 'g.txt')).reduce[0][0], 'max_pool_3x3');
  assert.deepEqual(readGenotype(join(dir, 'g.json')), readGenotype(join(dir, 'g.txt')));
  assert.throws(() => readGenotype(join(dir, 'nope.json')), /cannot read the genotype file .*nope\.json: ENOENT/);
  writeFileSync(join(dir, 'bad.json'), '{"normal": [');
  assert.throws(() => readGenotype(join(dir, 'bad.json')), /bad\.json: not valid JSON/);
});

test('recurrent genotype files in either form are read; a missing file is named', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'g.txt'), `${rnnGenotypeToDarts(DARTS_V2_RNN)}\n`);
  writeFileSync(join(dir, 'g.json'), rnnGenotypeToJson(DARTS_V2_RNN));
  assert.deepEqual(readRnnGenotype(join(dir, 'g.txt')), DARTS_V2_RNN);
  assert.deepEqual(readRnnGenotype(join(dir, 'g.json')), DARTS_V2_RNN);
  assert.throws(() => readRnnGenotype(join(dir, 'nope.json')), /cannot read the genotype file .*nope\.json: ENOENT/);
});
