// A stand-in, in a live export's bundle, for the Node modules that a library file still imports while the
// library's browser side is being cleaned of them (the export prints which): every export is a callable
// stand-in that does nothing, and util.inspect formats as JSON, so a module that only uses them lazily (a
// file read behind a function no cell calls) loads. Remove once no module the export bundles needs it.
import type { Plugin } from 'esbuild';

const SHIM = `
const stub = (path) => new Proxy(function () {}, {
  get: (_, k) => (k === Symbol.toPrimitive ? () => path : k === 'then' ? undefined : stub(path + '.' + String(k))),
  apply: () => stub(path + '()'),
  construct: () => stub('new ' + path),
});
const inspect = (v) => {
  try {
    return JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? String(x) : x), 1) ?? String(v);
  } catch {
    return String(v);
  }
};
const own = { inspect, __esModule: false };
module.exports = new Proxy(own, {
  get: (t, k) => (k in t ? t[k] : k === 'default' ? module.exports : stub(String(k))),
});
`;

/** Node's built-ins (and sharp, a native module) as imported from the project's own files. */
const NODE_ONLY = /^(node:.*|sharp)$/;

/** The esbuild plugin; `shimmed` collects "MODULE (from FILE)" for each import it stood in for. */
export function nodeShim(root: string, shimmed: Set<string>): Plugin {
  return {
    name: 'ednas-node-shim',
    setup(b) {
      b.onResolve({ filter: NODE_ONLY }, (a) => {
        if (a.importer.includes('/node_modules/')) return undefined;
        shimmed.add(`${a.path} (from ${a.importer.replace(root, '')})`);
        return { path: a.path, namespace: 'ednas-node-shim' };
      });
      b.onLoad({ filter: /.*/, namespace: 'ednas-node-shim' }, () => ({ contents: SHIM, loader: 'js' }));
    },
  };
}
