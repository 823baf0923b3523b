// `ednas notebook NOTEBOOK --export FILE.html`: the notebook run headless (lazy cells too, an input set
// from the command line) and written as one file that opens offline in Chromium with every cell's source
// and output and every figure drawn, without a console error. Screenshot in test-artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ARTIFACTS, chromiumSkip, launchChromium } from '../helpers/chromium.ts';
import { tempDir } from '../helpers/fixtures.ts';

const bin = new URL('../../bin/ednas.js', import.meta.url).pathname;
const notebook = new URL('../../notebooks/cifar-search.ts', import.meta.url).pathname;

test('the exported notebook is one self-contained file: sources, outputs, figures drawn offline', {
  skip: chromiumSkip(),
  timeout: 600_000,
}, async () => {
  const file = join(tempDir(), 'cifar-search.html');
  const r = spawnSync(
    process.execPath,
    [bin, 'notebook', notebook, '--no-cache', '--set', 'lr=0.03', '--export', file],
    { encoding: 'utf8', timeout: 600_000 },
  );
  assert.equal(r.status, 0, r.stderr.slice(-3000));
  assert.match(r.stdout, new RegExp(`exported 22 cells to ${file.replace(/[.]/g, '\\.')} \\(\\d+\\.\\d MB\\)`));
  // Outside its inline scripts (plotly.js holds URLs in strings) the page refers to no other file (the
  // report's download link holds the report itself, a data: URL; cell sources show attributes escaped).
  const markup = readFileSync(file, 'utf8').replace(/<script[^>]*>[\s\S]*?<\/script>/g, '');
  assert.ok(!/\s(src|href)=(?!"data:|&quot;)/i.test(markup), 'nothing loaded from elsewhere');

  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    const errors: string[] = [];
    const outside: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.route('**/*', (route) => {
      if (route.request().url().startsWith('file:')) return route.continue();
      outside.push(route.request().url());
      return route.abort();
    });
    await page.goto(pathToFileURL(file).href);
    const plots = await page.locator('.plot').count();
    assert.equal(plots, 4, 'rewards, steps, operations, comparison');
    await page.waitForFunction(
      (n) => [...document.querySelectorAll('.plot')].filter((p) => p.querySelector('.main-svg')).length === n,
      plots,
      { timeout: 60_000 },
    );
    assert.equal(await page.locator('article.cell').count(), 22);
    assert.equal(await page.locator('article.cell[data-state=fulfilled]').count(), 22);
    assert.equal(
      await page.locator('#cell-lr .controls output').innerText(),
      '0.03',
      'the value set on the command line',
    );
    assert.match(await page.locator('#cell-lr pre.source').innerText(), /Inputs\.range\(\[0\.001, 0\.2\]/);
    assert.match(await page.locator('#cell-results .output').innerText(), /derived[\s\S]*random/);
    assert.equal(await page.locator('#cell-genotype svg').count(), 2, 'both cell diagrams');
    assert.match(await page.locator('#cell-config .output').innerText(), /lr: 0\.03\b/);
    // Figures are interactive: the operation heatmap keeps its epoch slider.
    assert.ok((await page.locator('#cell-operations .slider-container').count()) > 0);
    assert.deepEqual(errors, []);
    assert.deepEqual(outside, []);
    await page.screenshot({ path: join(ARTIFACTS, 'notebook-export.png'), fullPage: true });
  } finally {
    await browser.close();
  }
});
