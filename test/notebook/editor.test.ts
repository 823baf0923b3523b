// The page's cell editor is CodeMirror 6 with TypeScript highlighting: a cell's text is highlighted by
// token, an edit typed into it and Shift+Enter run the new text, and CodeMirror 5 is gone from the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/fixtures.ts';
import { ARTIFACTS, chromiumSkip, launchChromium, pageErrors } from '../helpers/chromium.ts';
import { notebookPageUrl, startEdnas } from '../helpers/ednas-process.ts';

const NOTEBOOK = `/** # Editor */
export const a = 2;
export const b = (a: number): number => a * 10;
`;

const BROWSER = { skip: chromiumSkip(), timeout: 120_000 };

test('the cell editor: CodeMirror 6, TypeScript highlighting, Shift+Enter runs the edited text', BROWSER, async (t) => {
  const file = join(tempDir(), 'editor.ts');
  writeFileSync(file, NOTEBOOK);
  const server = startEdnas(['notebook', file, '--no-cache']);
  t.signal.addEventListener('abort', () => server.child.kill('SIGKILL'));
  const browser = await launchChromium();
  try {
    const url = await notebookPageUrl(server);
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    const errors = pageErrors(page);
    await page.goto(url);
    const ready = () => document.body.dataset.idle === 'true' && document.querySelectorAll('.cell').length > 1;
    await page.waitForFunction(ready);
    assert.equal(await page.locator('.cm-editor').count(), 2);
    assert.equal(await page.locator('.CodeMirror').count(), 0);
    // TypeScript highlighting: the keyword, the type and the number are tokens, each in its own colour.
    const colours = (await page.evaluate(`(() => {
      const spans = [...document.querySelectorAll('#cell-b .cm-content span')];
      const colour = (e) => e && getComputedStyle(e).color;
      const of = (text) => colour(spans.find((e) => e.textContent === text));
      const plain = colour(document.querySelector('#cell-b .cm-line'));
      return { plain, keyword: of('export'), type: of('number'), value: of('10') };
    })()`)) as Record<string, string | undefined>;
    for (const k of ['keyword', 'type', 'value']) {
      assert.ok(colours[k] && colours[k] !== colours.plain, `${k} is highlighted: ${JSON.stringify(colours)}`);
    }
    const base = new URL(url).origin;
    assert.equal((await page.request.get(`${base}/static/codemirror.js`)).status(), 404);

    await page.click('#cell-b .cm-content');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('export const b = (a: number): number => a * 100;');
    await page.keyboard.press('Shift+Enter');
    const output = "document.querySelector('#cell-b .output')?.textContent ?? ''";
    await page.waitForFunction(`/200/.test(${output})`, undefined, { timeout: 60_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'notebook-editor.png') });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.child.kill('SIGINT');
  }
});
