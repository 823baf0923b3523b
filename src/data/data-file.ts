// Checks a path is a file before it is read (Node): a folder, device or pipe in its place is a DataError.
import { statSync } from 'node:fs';
import { DataError } from './errors.ts';

/** Refuses a folder (or a device, a pipe) where `what` should be a file, before it is opened and misread. */
export function assertDataFile(path: string, what: string): void {
  const s = statSync(path, { throwIfNoEntry: false });
  if (s && !s.isFile()) {
    const kind = s.isDirectory() ? 'a folder' : 'not a regular file';
    throw new DataError(`${path} is ${kind}, where ${what} should be a file. Remove or rename it; put the file there.`);
  }
}
