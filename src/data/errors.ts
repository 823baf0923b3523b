// Errors a user can cause with their data: the message names the file, what was expected and the fix.
import { statSync } from 'node:fs';

export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}

/** Refuses a folder (or a device, a pipe) where `what` should be a file, before it is opened and misread. */
export function assertDataFile(path: string, what: string): void {
  const s = statSync(path, { throwIfNoEntry: false });
  if (s && !s.isFile()) {
    const kind = s.isDirectory() ? 'a folder' : 'not a regular file';
    throw new DataError(`${path} is ${kind}, where ${what} should be a file. Remove or rename it; put the file there.`);
  }
}
