// Penn Treebank read from a folder (Node): ptb.{train,valid,test}.txt, one sentence a line, checked and
// hashed. Tokens, the vocabulary and batches, which run anywhere, are ptb-text.ts'.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from './errors.ts';
import { assertDataFile } from './data-file.ts';
import { bytesHash } from './checksum.ts';
import { tokenize, Vocabulary, type Ptb } from './ptb-text.ts';
import type { DataFile } from './cifar10-decode.ts';

export {
  batchify,
  bpttBatch,
  EOS,
  splitTokens,
  tokenize,
  Vocabulary,
  type Batchified,
  type Ptb,
} from './ptb-text.ts';

export const PTB_FILES = ['ptb.train.txt', 'ptb.valid.txt', 'ptb.test.txt'] as const;
export const hasPtb = (dir: string): boolean => PTB_FILES.every((f) => existsSync(join(dir, f)));

export function readPtb(dir: string): Ptb {
  const missing = PTB_FILES.filter((f) => !existsSync(join(dir, f)));
  if (missing.length > 0) {
    throw new DataError(
      `Penn Treebank not found: ${missing.join(', ')} missing from ${dir}. Run 'ednas data ptb --dir ${dir}' to ` +
        `download it, or copy Mikolov's ptb.train.txt, ptb.valid.txt and ptb.test.txt there.`,
    );
  }
  const vocabulary = new Vocabulary();
  const files: DataFile[] = [];
  const [train, valid, test] = PTB_FILES.map((f) => {
    const path = join(dir, f);
    assertDataFile(path, 'a Penn Treebank text file');
    const bytes = readFileSync(path);
    if (bytes.length === 0) throw new DataError(`${path} is empty; copy or download it again.`);
    if (bytes.includes(0))
      throw new DataError(`${path} contains NUL bytes: it is not a text file of the Penn Treebank. Replace it.`);
    files.push({ path, bytes: bytes.length, sha256: bytesHash(bytes) });
    return tokenize(bytes.toString('utf8'), vocabulary);
  });
  return { vocabulary, train, valid, test, dir, files };
}
