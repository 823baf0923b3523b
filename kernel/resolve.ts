// Makes `import ... from 'ednas'` work in a notebook in any folder: at run time the module resolves to
// this project's library (TypeScript, loaded through tsx), and the notebook's type checker finds its
// declarations under a virtual node_modules/ednas of the notebook's folder (and tslab's under
// node_modules/tslab, for `import * as tslab from 'tslab'`).
import Module from 'node:module';
import { join } from 'node:path';
import { PROJECT_ROOT, TYPES_DIR } from './types.ts';

export const LIBRARY_ENTRY = join(PROJECT_ROOT, 'src', 'index.ts');
const VIRTUAL: Record<string, string> = { ednas: TYPES_DIR, tslab: join(PROJECT_ROOT, 'node_modules', 'tslab') };

/** The real path of a path under `cwd`'s virtual node_modules/ednas or node_modules/tslab. */
export function virtualPath(cwd: string, path: string): string {
  for (const [name, real] of Object.entries(VIRTUAL)) {
    const virtual = join(cwd, 'node_modules', name);
    if (path === virtual || path.startsWith(`${virtual}/`)) return real + path.slice(virtual.length);
  }
  return path;
}

export function resolveEdnas(): void {
  const M = Module as unknown as { _resolveFilename(request: string, ...rest: unknown[]): string };
  const original = M._resolveFilename;
  M._resolveFilename = function (request: string, ...rest: unknown[]) {
    return original.call(this, request === 'ednas' ? LIBRARY_ENTRY : request, ...rest);
  };
}
