// Reading a JSON file that a run wrote (manifest, checkpoint state, cache entry), with errors that name
// the file and what is wrong with it instead of a bare SyntaxError.
import { readFileSync } from 'node:fs';

export class FileFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileFormatError';
  }
}

/** The parsed file; `what` names it in errors ("the run's manifest"). */
export function readJson<T>(path: string, what: string): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new FileFormatError(
      code === 'ENOENT'
        ? `${what} is missing: no file ${path}.`
        : `cannot read ${what} (${path}): ${(e as Error).message}`,
    );
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new FileFormatError(`${what} (${path}) is not valid JSON: ${(e as Error).message}. The file is damaged.`);
  }
}
