// The page's cell editor (page/editor.js: CodeMirror 6 with TypeScript highlighting) bundled by esbuild
// into one browser script, once per process and only when a page asks for it (about 0.2 s).
import { buildSync } from 'esbuild';
import { fileURLToPath } from 'node:url';

let bundle: string | undefined;

/** The editor as one minified script that sets window.ednasEditor. */
export function editorBundle(): string {
  bundle ??= buildSync({
    entryPoints: [fileURLToPath(new URL('./page/editor.js', import.meta.url))],
    bundle: true,
    format: 'iife',
    minify: true,
    write: false,
    target: 'es2020',
    legalComments: 'none',
  }).outputFiles[0].text;
  return bundle;
}
