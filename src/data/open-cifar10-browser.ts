// The CIFAR-10 a notebook's data cell opens, in a browser or a Web Worker: the binary batches fetched from a
// base URL (default data/cifar10/ next to the page or worker, where a live export puts them; setDataBase
// moves it). The same signature as Node's open-cifar10.ts, so a cell reads `await openCifar10()` in both.
import { CIFAR10_FILES, CIFAR10_META, cifar10FromFiles, type Cifar10, type NamedBytes } from './cifar10-decode.ts';
import { DataError } from './errors.ts';

let base: URL | undefined;

/** Where openCifar10 fetches from: a URL (absolute, or relative to the page or worker) of a folder. */
export function setDataBase(url: string | URL): void {
  base = new URL(String(url).replace(/\/?$/, '/'), globalThis.location?.href);
}

/** The folder openCifar10 fetches from now. */
export const dataBase = (): URL => base ?? new URL('data/cifar10/', globalThis.location?.href);

/** A file's bytes, or undefined when the server does not have it (404). */
async function fetchFile(url: URL): Promise<Uint8Array | undefined> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new DataError(`CIFAR-10: fetching ${url} failed (${(e as Error).message}). Serve the page over http(s).`);
  }
  if (res.status === 404) return undefined;
  if (!res.ok) throw new DataError(`CIFAR-10: ${url} answered ${res.status} ${res.statusText}.`);
  return new Uint8Array(await res.arrayBuffer());
}

/** The folder's index: a JSON list of the names of its files (a live export writes it). */
export const CIFAR10_INDEX = 'files.json';

/** The CIFAR-10 files the folder's index lists, or all of them (to try each) where it has no index. */
async function listed(dir: URL): Promise<string[]> {
  const all = [...CIFAR10_FILES, CIFAR10_META];
  const index = await fetchFile(new URL(CIFAR10_INDEX, dir));
  if (!index) return all;
  let names: unknown;
  try {
    names = JSON.parse(new TextDecoder().decode(index));
  } catch (e) {
    throw new DataError(`CIFAR-10: ${new URL(CIFAR10_INDEX, dir)} is not JSON (${(e as Error).message}).`);
  }
  if (!Array.isArray(names))
    throw new DataError(`CIFAR-10: ${new URL(CIFAR10_INDEX, dir)} should list the folder's file names.`);
  const present = new Set<unknown>(names);
  return all.filter((n) => present.has(n));
}

/**
 * CIFAR-10 from dataBase(): data_batch_1.bin ... data_batch_5.bin (those present: those its files.json
 * lists, else each is tried), test_batch.bin and batches.meta.txt, decoded and checked as Node reads them.
 */
export async function openCifar10(): Promise<Cifar10> {
  const dir = dataBase();
  const names = await listed(dir);
  const got = await Promise.all(names.map((name) => fetchFile(new URL(name, dir))));
  const files: NamedBytes[] = names.flatMap((name, i) => {
    const bytes = got[i];
    return bytes ? [{ name, bytes }] : [];
  });
  if (files.length === 0) {
    throw new DataError(
      `CIFAR-10: no data at ${dir} (data_batch_1.bin, test_batch.bin: 404). Put the files of ` +
        `cifar-10-batches-bin/ there, or call setDataBase(url) with the folder that holds them.`,
    );
  }
  return cifar10FromFiles(files, dir.href);
}
