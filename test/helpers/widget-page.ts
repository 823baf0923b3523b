// Saved widget state (a notebook's metadata.widgets, as nbclient writes it) rendered in Chromium by
// @jupyter-widgets/html-manager's embed script, as nbviewer and exported HTML render it: no kernel, no
// network (the page and the script are files; any other request is refused and recorded).
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempDir } from './fixtures.ts';

const require = createRequire(import.meta.url);
export const EMBED_JS = join(
  dirname(require.resolve('@jupyter-widgets/html-manager/package.json')),
  'dist',
  'embed.js',
);

const json = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

/** A page showing the view of `modelId` from `widgetState`; returns its file URL. */
export function widgetPage(widgetState: unknown, modelId: string): string {
  const file = join(tempDir('ednas-widgets-'), 'widgets.html');
  writeFileSync(
    file,
    `<!doctype html><html><head><meta charset="utf-8"><title>saved widget state</title>
<script src="${pathToFileURL(EMBED_JS).href}"></script>
<script type="application/vnd.jupyter.widget-state+json">${json(widgetState)}</script></head>
<body style="background:#fff;padding:12px"><script type="application/vnd.jupyter.widget-view+json">` +
      `${json({ version_major: 2, version_minor: 0, model_id: modelId })}</script></body></html>`,
  );
  return pathToFileURL(file).href;
}
