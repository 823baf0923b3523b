// Genotype files (Node): either form, for both tasks; errors name the file. Parsing is space/'s and runs
// anywhere; reading a file is here, above it, so the search space imports no file system.
import { readFileSync } from 'node:fs';
import { GenotypeError, parseGenotype, type Genotype } from '../space/genotype.ts';
import { parseRnnGenotype, type RnnGenotype } from '../space/rnn-genotype.ts';

/** A genotype file in either form (`parse` tells them apart); errors name the file. */
export function readGenotypeFile<G>(path: string, parse: (text: string) => G): G {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new GenotypeError(
      `cannot read the genotype file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  try {
    return parse(text);
  } catch (e) {
    throw new GenotypeError(`${path}: ${(e as Error).message}`);
  }
}

export const readGenotype = (path: string): Genotype => readGenotypeFile(path, parseGenotype);

export const readRnnGenotype = (path: string): RnnGenotype => readGenotypeFile(path, parseRnnGenotype);

/** The reader of each task's genotype files. */
export const GENOTYPE_READERS = { cnn: readGenotype, rnn: readRnnGenotype } as const;
