// Names that become paths: an experiment's, a block's and a trial's. One rule for experiment files and for
// jobs taken from a queue (which anyone who can write to the Redis can make): a single path component of
// letters, digits, '.', '_', '=' and '-', starting with a letter or digit (so never '.' or '..'), short
// enough that `<name>.genotype.json` and `<name>.log` stay within a file system's 255-byte names.
import { isAbsolute, relative, resolve } from 'node:path';

export const MAX_NAME_LENGTH = 200;
const COMPONENT = /^[A-Za-z0-9][A-Za-z0-9._=-]*$/;

/** Why `name` cannot name a folder, or undefined when it can. */
export function nameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return `must be text, got ${typeof name}`;
  if (name.length > MAX_NAME_LENGTH) return `must be at most ${MAX_NAME_LENGTH} characters, got ${name.length}`;
  if (!COMPONENT.test(name))
    return (
      `must be letters, digits, '.', '_', '=' or '-' (starting with a letter or digit), ` +
      `got ${JSON.stringify(name.slice(0, 80))}`
    );
  return undefined;
}

/** `root/parts...`, refused when it would resolve outside `root`. */
export function inside(root: string, ...parts: string[]): string {
  const path = resolve(root, ...parts);
  const rel = relative(resolve(root), path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel))
    throw new Error(`${JSON.stringify(parts.join('/'))} leads outside ${root}`);
  return path;
}
