// The kernel in a real front end: Debian's classic Notebook 6.4 server on 127.0.0.1 with the kernel
// installed, driven in Chromium as a user would: run cells, save, reload. Screenshots go to test-artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, chromiumSkip, launchChromium } from '../helpers/chromium.ts';
import { notebookServerSkip, startNotebookServer } from './notebook-server.ts';

const figureCell = (n: number) => "import { rewardFigure } from 'ednas';\n" +
  `rewardFigure([{ epoch: 1, mean_reward: 0.${n}, baseline: 0.1, entropy: 40 }, { epoch: 2, mean_reward: 0.3, baseline: 0.2, entropy: 39 }])`;

test('figures draw on their own after a save and a reload, loading plotly.js once a page from the server', {
  skip: notebookServerSkip() ?? chromiumSkip(), timeout: 240_000,
}, async () => {
  const server = await startNotebookServer();
  const browser = await launchChromium();
  try {
    const cells = [figureCell(1), figureCell(2)].map((source) => ({ cell_type: 'code', metadata: {}, source, outputs: [], execution_count: null }));
    writeFileSync(join(server.dir, 'figures.ipynb'), JSON.stringify({
      nbformat: 4, nbformat_minor: 5, cells,
      metadata: { kernelspec: { name: server.kernel, display_name: 'EDNAS', language: 'typescript' } },
    }));
    const page = await browser.newPage();
    const plotlyLoads: string[] = [];
    page.on('request', (r) => { if (r.url().includes('plotly')) plotlyLoads.push(new URL(r.url()).pathname); });
    await page.goto(`${server.url}/notebooks/figures.ipynb`);
    const drawn = () => page.locator('.ednas-plot.js-plotly-plot').count();
    await page.waitForFunction(() => (window as any).Jupyter?.notebook?.kernel?.is_connected?.(), null, { timeout: 60_000 });
    // Run All, then the first figure's cell again (the one that used to carry plotly.js), then save.
    await page.evaluate(() => (window as any).Jupyter.notebook.execute_all_cells());
    await page.waitForFunction(() => document.querySelectorAll('.ednas-plot.js-plotly-plot').length >= 2, null, { timeout: 90_000 });
    await page.evaluate(() => (window as any).Jupyter.notebook.execute_cells([0]));
    await page.waitForFunction(() => document.querySelectorAll('.ednas-plot.js-plotly-plot').length >= 2 &&
      (window as any).Jupyter.notebook.kernel_busy === false, null, { timeout: 60_000 });
    await page.evaluate(() => (window as any).Jupyter.notebook.save_notebook());
    await page.waitForFunction(() => !(window as any).Jupyter.notebook.dirty, null, { timeout: 20_000 });
    assert.deepEqual(plotlyLoads, [`/kernelspecs/${server.kernel}/plotly.min.js`], 'plotly.js once a page, from the kernelspec');
    // Reopened from disk (with the kernel still running): every saved figure draws again.
    plotlyLoads.length = 0;
    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll('.ednas-plot.js-plotly-plot').length >= 2, null, { timeout: 60_000 });
    assert.equal(await drawn(), 2);
    assert.equal(plotlyLoads.length, 1);
    await page.screenshot({ path: join(ARTIFACTS, 'kernel-figures-reloaded.png'), fullPage: true });
  } finally {
    await browser.close();
    server.stop();
  }
});
