// Makes `import ... from 'ednas'` work in a notebook in any folder: at run time the module resolves to
// this project's library (TypeScript, loaded through tsx), and tslab's type checker finds its
// declarations under a virtual node_modules/ednas (tslab does the same for its own package).
import Module, { createRequire } from 'node:module';
import { join } from 'node:path';
import { PROJECT_ROOT, TYPES_DIR } from './types.ts';

const require = createRequire(import.meta.url);
export const LIBRARY_ENTRY = join(PROJECT_ROOT, 'src', 'index.ts');

export function resolveEdnas(cwd: string): void {
  const M = Module as unknown as { _resolveFilename(request: string, ...rest: unknown[]): string };
  const original = M._resolveFilename;
  M._resolveFilename = function (request: string, ...rest: unknown[]) {
    return original.call(this, request === 'ednas' ? LIBRARY_ENTRY : request, ...rest);
  };
  const virtual = join(cwd, 'node_modules', 'ednas');
  const map = (path: string) => (path === virtual || path.startsWith(virtual + '/') ? TYPES_DIR + path.slice(virtual.length) : path);
  const ts = require('@tslab/typescript-for-tslab');
  for (const name of ['readFile', 'fileExists', 'directoryExists', 'readDirectory', 'getModifiedTime'] as const) {
    const f = ts.sys[name];
    if (typeof f === 'function') ts.sys[name] = (path: string, ...rest: unknown[]) => f.call(ts.sys, map(path), ...rest);
  }
  const realpath = ts.sys.realpath;
  if (realpath) ts.sys.realpath = (path: string) => (map(path) !== path ? path : realpath.call(ts.sys, path));
}
