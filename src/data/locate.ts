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

/** The CIFAR-10 folder to use: the one given, else a downloaded full set, else the bundled sample. */
export function resolveCifar10(dir?: string): { dir: string; source: 'given' | 'cache' | 'sample' } {
  if (dir) return { dir, source: 'given' };
  if (hasCifar10(CIFAR10_CACHE)) return { dir: CIFAR10_CACHE, source: 'cache' };
  return { dir: CIFAR10_SAMPLE, source: 'sample' };
}

export const PTB_SAMPLE = join(PACKAGE_ROOT, 'data', 'ptb-sample');

/** The Penn Treebank folder to use: the one given, else a downloaded copy, else the bundled slice. */
export function resolvePtb(dir?: string): { dir: string; source: 'given' | 'cache' | 'sample' } {
  if (dir) return { dir, source: 'given' };
  if (hasPtb(PTB_CACHE)) return { dir: PTB_CACHE, source: 'cache' };
  return { dir: PTB_SAMPLE, source: 'sample' };
}
