// Where data lives by default: downloads land in the package's data/cache/ (git-ignored); when no full
// data set is there, the small real sample bundled in data/ is used so everything runs out of the box.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { hasCifar10 } from './cifar10.ts';
import { hasPtb } from './ptb.ts';

export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DATA_CACHE = join(PACKAGE_ROOT, 'data', 'cache');
export const CIFAR10_CACHE = join(DATA_CACHE, 'cifar10');
export const PTB_CACHE = join(DATA_CACHE, 'ptb');
export const CIFAR10_SAMPLE = join(PACKAGE_ROOT, 'data', 'cifar10-sample');
export const PTB_SAMPLE = join(PACKAGE_ROOT, 'data', 'ptb-sample');

export interface Located {
  dir: string;
  source: 'given' | 'cache' | 'sample';
}

/** The folder given, else the download cache when it holds the data set, else the bundled sample. */
const locate = (dir: string | undefined, cache: string, sample: string, has: (d: string) => boolean): Located =>
  dir ? { dir, source: 'given' } : has(cache) ? { dir: cache, source: 'cache' } : { dir: sample, source: 'sample' };

/** The CIFAR-10 folder to use: the one given, else a downloaded full set, else the bundled sample. */
export const resolveCifar10 = (dir?: string): Located => locate(dir, CIFAR10_CACHE, CIFAR10_SAMPLE, hasCifar10);

/** The Penn Treebank folder to use: the one given, else a downloaded copy, else the bundled slice. */
export const resolvePtb = (dir?: string): Located => locate(dir, PTB_CACHE, PTB_SAMPLE, hasPtb);
