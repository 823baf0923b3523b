// The kernel in a real front end: Debian's classic Notebook 6.4 server on 127.0.0.1 with the kernel
// installed, driven in Chromium as a user would (type, run, Tab, Shift-Tab, interrupt, restart, save,
// reload); stage notebooks 01 to 03 Run All; and a live-widgets page (ipywidgets 8's own views on
// @jupyterlab/services, bundled with esbuild, served by that server) moved by hand. Screenshots go to
// test-artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ARTIFACTS, chromiumSkip, launchChromium } from '../helpers/chromium.ts';
import { notebookServerSkip, startNotebookServer, type NotebookServer } from './notebook-server.ts';

const NOTEBOOKS = new URL('../../notebooks/', import.meta.url).pathname;

/** A test in the front end: a notebook server with the kernel and Chromium, both closed after `body`. */
function frontEndTest(
  name: string,
  timeout: number,
  body: (server: NotebookServer, browser: Awaited<ReturnType<typeof launchChromium>>) => Promise<void>,
): void {
  test(name, { skip: notebookServerSkip() ?? chromiumSkip(), timeout }, async () => {
    const server = await startNotebookServer();
    const browser = await launchChromium();
    try {
      await body(server, browser);
    } finally {
      await browser.close();
      server.stop();
    }
  });
}

const figureCell = (n: number) =>
  "import { rewardFigure } from 'ednas';\n" +
  `rewardFigure([{ epoch: 1, mean_reward: 0.${n}, baseline: 0.1, entropy: 40 }, ` +
  '{ epoch: 2, mean_reward: 0.3, baseline: 0.2, entropy: 39 }])';

frontEndTest(
  'figures draw on their own after a save and a reload, loading plotly.js once a page from the server',
  240_000,
  async (server, browser) => {
    const cells = [figureCell(1), figureCell(2)].map((source) => ({
      cell_type: 'code',
      metadata: {},
      source,
      outputs: [],
      execution_count: null,
    }));
    writeFileSync(
      join(server.dir, 'figures.ipynb'),
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        cells,
        metadata: { kernelspec: { name: server.kernel, display_name: 'EDNAS', language: 'typescript' } },
      }),
    );
    const page = await browser.newPage();
    const plotlyLoads: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('plotly')) plotlyLoads.push(new URL(r.url()).pathname);
    });
    await page.goto(`${server.url}/notebooks/figures.ipynb`);
    const drawn = () => page.locator('.ednas-plot.js-plotly-plot').count();
    await page.waitForFunction(() => (window as any).Jupyter?.notebook?.kernel?.is_connected?.(), null, {
      timeout: 60_000,
    });
    // Run All, then the first figure's cell again (the one that used to carry plotly.js), then save.
    await page.evaluate(() => (window as any).Jupyter.notebook.execute_all_cells());
    await page.waitForFunction(() => document.querySelectorAll('.ednas-plot.js-plotly-plot').length >= 2, null, {
      timeout: 90_000,
    });
    await page.evaluate(() => (window as any).Jupyter.notebook.execute_cells([0]));
    await page.waitForFunction(
      () =>
        document.querySelectorAll('.ednas-plot.js-plotly-plot').length >= 2 &&
        (window as any).Jupyter.notebook.kernel_busy === false,
      null,
      { timeout: 60_000 },
    );
    await page.evaluate(() => (window as any).Jupyter.notebook.save_notebook());
    await page.waitForFunction(() => !(window as any).Jupyter.notebook.dirty, null, { timeout: 20_000 });
    assert.deepEqual(
      plotlyLoads,
      [`/kernelspecs/${server.kernel}/plotly.min.js`],
      'plotly.js once a page, from the kernelspec',
    );
    // Reopened from disk (with the kernel still running): every saved figure draws again.
    plotlyLoads.length = 0;
    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll('.ednas-plot.js-plotly-plot').length >= 2, null, {
      timeout: 60_000,
    });
    assert.equal(await drawn(), 2);
    assert.equal(plotlyLoads.length, 1);
    await page.screenshot({ path: join(ARTIFACTS, 'kernel-figures-reloaded.png'), fullPage: true });
  },
);

/** Types `code` into the selected cell's editor as a user does, then Shift-Enter; resolves when it has run. */
async function runTyped(page: Page, code: string): Promise<string> {
  const index = await page.evaluate(() => (window as any).Jupyter.notebook.get_selected_index());
  await page.evaluate((i) => {
    const nb = (window as any).Jupyter.notebook;
    nb.select(i);
    nb.edit_mode();
  }, index);
  await page.keyboard.type(code);
  await page.keyboard.press('Shift+Enter');
  await page.waitForFunction(
    (i) => typeof (window as any).Jupyter.notebook.get_cell(i).input_prompt_number === 'number',
    index,
    { timeout: 60_000 },
  );
  // The reply can come before the front end has drawn the outputs that preceded it.
  await page
    .waitForFunction((i) => (window as any).Jupyter.notebook.get_cell(i).output_area.outputs.length > 0, index, {
      timeout: 5_000,
    })
    .catch(() => {});
  return page.evaluate((i) => (window as any).Jupyter.notebook.get_cell(i).output_area.element[0].innerText, index);
}

/**
 * Types `code` into the selected cell and runs it; once its first output shows (the kernel runs it) and `wait`
 * ms more, interrupts the kernel as the toolbar's button does. Resolves with the time from the interrupt
 * request to the error shown, and the cell's output.
 */
async function interruptTyped(page: Page, code: string, wait = 0): Promise<{ ms: number; text: string }> {
  const index = await page.evaluate(() => (window as any).Jupyter.notebook.get_selected_index());
  await page.evaluate(() => (window as any).Jupyter.notebook.edit_mode());
  await page.keyboard.type(code);
  await page.keyboard.press('Shift+Enter');
  await page
    .waitForFunction((i) => (window as any).Jupyter.notebook.get_cell(i).output_area.outputs.length > 0, index, {
      timeout: 30_000,
    })
    .catch(async (e) => {
      await page.screenshot({ path: join(ARTIFACTS, 'kernel-walkthrough-failed.png'), fullPage: true });
      throw e;
    });
  await new Promise((r) => setTimeout(r, wait));
  const asked = Date.now();
  await page.evaluate(() => (window as any).Jupyter.notebook.kernel.interrupt());
  await page.waitForFunction(
    (i) => (window as any).Jupyter.notebook.get_cell(i).element[0].querySelector('.output_error'),
    index,
    { timeout: 20_000 },
  );
  const ms = Date.now() - asked;
  const text = await page.evaluate(
    (i) => (window as any).Jupyter.notebook.get_cell(i).output_area.element[0].innerText,
    index,
  );
  return { ms, text };
}

frontEndTest(
  'a new notebook walked through as a user would: run, Tab, Shift-Tab, errors, interrupt, restart, save, reload',
  240_000,
  async (server, browser) => {
    writeFileSync(
      join(server.dir, 'walk.ipynb'),
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        cells: [],
        metadata: { kernelspec: { name: server.kernel, display_name: 'EDNAS', language: 'typescript' } },
      }),
    );
    const page = await browser.newPage();
    await page.goto(`${server.url}/notebooks/walk.ipynb`);
    await page.waitForFunction(() => (window as any).Jupyter?.notebook?.kernel?.is_connected?.(), null, {
      timeout: 60_000,
    });
    const nb = (f: string) => page.evaluate(f);

    await runTyped(page, 'const seen = [1, 2];\nlet n = 3;');
    assert.match(await runTyped(page, 'JSON.stringify({ n, seen })'), /\{"n":3,"seen":\[1,2\]\}/);
    // Tab completes a member; Shift-Tab inside a call's parentheses shows the callee's signature.
    await nb('Jupyter.notebook.edit_mode()');
    await page.keyboard.type('seen.leng');
    await page.keyboard.press('Tab');
    await page.waitForFunction(
      () => (window as any).Jupyter.notebook.get_selected_cell().get_text() === 'seen.length',
      null,
      { timeout: 20_000 },
    );
    await page.keyboard.type(' + Math.max(1, ');
    await page.keyboard.press('Shift+Tab');
    await page.waitForSelector('#tooltip', { state: 'visible', timeout: 20_000 });
    assert.match(await page.locator('#tooltip').innerText(), /max\(\.\.\.values: number\[\]\): number/);
    await page.keyboard.type('4)');
    assert.match(await runTyped(page, ''), /Out\[\d+\]:\n6$/);

    // A throw keeps what ran before it, and the error points at the cell's own line, coloured.
    const thrown = await runTyped(page, "const kept = 41;\nthrow new RangeError('boom');\nconst lost = 1;");
    assert.match(thrown, /RangeError\s+Traceback \(most recent call last\)\nCell In\[\d+\], line 2/);
    assert.doesNotMatch(thrown, /evalmachine|node:internal|kernel\/|tslab/);
    assert.ok((await page.locator('.output_error .ansi-red-fg').count()) > 0, 'ANSI colours');
    assert.match(await runTyped(page, 'kept + 1'), /42/);

    // An awaiting cell, and a loop that runs after an await, are interrupted within a second (from the
    // interrupt request to the error shown), as a KeyboardInterrupt at their line; names bound before stay.
    const awaiting = await interruptTyped(
      page,
      "const before = 1;\nconsole.log('waiting');\nawait new Promise(() => {});",
    );
    assert.ok(awaiting.ms < 1000, `interrupted in ${awaiting.ms} ms`);
    assert.match(awaiting.text, /KeyboardInterrupt[\s\S]*line 3[\s\S]*----> 3 await new Promise/);
    const busy = await interruptTyped(
      page,
      "console.log('spinning');\nawait new Promise((r) => setTimeout(r, 100));\nlet turns = 0; while (true) turns++;",
      600,
    );
    assert.ok(busy.ms < 1000, `interrupted in ${busy.ms} ms`);
    assert.match(busy.text, /KeyboardInterrupt[\s\S]*line 3[\s\S]*----> 3 let turns = 0; while \(true\) turns\+\+;/);
    assert.match(await runTyped(page, 'before + Math.sign(turns)'), /Out\[\d+\]:\n2$/);

    // A widget in a front end without ipywidgets 8 says where it renders.
    const widget = await runTyped(page, "import { IntSlider } from 'ednas';\nnew IntSlider({ value: 3 })");
    assert.match(widget, /JupyterLab 4, Notebook 7 and VS Code \(ipywidgets 8\)/);

    // Save, reload: the outputs are back, errors still coloured.
    await nb('Jupyter.notebook.save_notebook()');
    await page.waitForFunction(() => !(window as any).Jupyter.notebook.dirty, null, { timeout: 20_000 });
    await page.reload();
    await page.waitForFunction(() => (window as any).Jupyter?.notebook?.kernel?.is_connected?.(), null, {
      timeout: 60_000,
    });
    assert.ok((await page.locator('.output_error .ansi-red-fg').count()) > 0);
    await page.screenshot({ path: join(ARTIFACTS, 'kernel-walkthrough.png'), fullPage: true });

    // Restart: a clean state; the earlier names are gone for the checker too.
    await page.evaluate(
      () =>
        new Promise((ready) => {
          const nb = (window as any).Jupyter.notebook;
          nb.events.one('kernel_ready.Kernel', ready);
          nb.kernel.restart();
        }),
    );
    await nb(
      'Jupyter.notebook.select(Jupyter.notebook.ncells() - 1); ' +
        'Jupyter.notebook.insert_cell_below("code"); Jupyter.notebook.select_next()',
    );
    assert.match(await runTyped(page, 'seen'), /TS2304: Cannot find name 'seen'/);
  },
);

frontEndTest(
  'stage notebooks 01 to 03 Run All in the front end; 03 interrupted mid-search goes on with its next cells',
  300_000,
  async (server, browser) => {
    const page = await browser.newPage();
    const open = async (book: string) => {
      // The test's kernelspec has its own name.
      const notebook = JSON.parse(readFileSync(join(NOTEBOOKS, book), 'utf8'));
      notebook.metadata.kernelspec.name = server.kernel;
      writeFileSync(join(server.dir, book), JSON.stringify(notebook));
      await page.goto(`${server.url}/notebooks/${book}`);
      await page.waitForFunction(() => (window as any).Jupyter?.notebook?.kernel?.is_connected?.(), null, {
        timeout: 60_000,
      });
    };
    const allRan = () =>
      page.waitForFunction(
        () =>
          (window as any).Jupyter.notebook
            .get_cells()
            .every((c: any) => c.cell_type !== 'code' || typeof c.input_prompt_number === 'number'),
        null,
        { timeout: 180_000 },
      );
    const errors = () => page.locator('.output_error').allInnerTexts();
    for (const book of ['01-data-split.ipynb', '02-policy-sampling.ipynb']) {
      await open(book);
      await page.evaluate(() => (window as any).Jupyter.notebook.execute_all_cells());
      await allRan();
      assert.deepEqual(await errors(), [], book);
      await page.screenshot({ path: join(ARTIFACTS, `kernel-${book.replace('.ipynb', '')}.png`), fullPage: true });
    }
    // 03: the search cell is interrupted once its live progress shows; the cells after it still work.
    await open('03-supernet-training.ipynb');
    await page.evaluate(() => (window as any).Jupyter.notebook.execute_cells([1]));
    await page.waitForSelector('.ednas-progress', { timeout: 120_000 });
    await page.evaluate(() => (window as any).Jupyter.notebook.kernel.interrupt());
    await page.waitForFunction(
      () => typeof (window as any).Jupyter.notebook.get_cell(1).input_prompt_number === 'number',
      null,
      { timeout: 30_000 },
    );
    assert.match((await errors()).join('\n'), /KeyboardInterrupt/);
    await page.evaluate(() => {
      const nb = (window as any).Jupyter.notebook;
      nb.execute_cells([...nb.get_cells().keys()].slice(2));
    });
    await allRan();
    const failed = await errors();
    assert.equal(failed.length, 1, failed.join('\n---\n'));
    await page.screenshot({ path: join(ARTIFACTS, 'kernel-03-interrupted.png'), fullPage: true });
    await page.waitForFunction(() => document.querySelectorAll('.ednas-plot.js-plotly-plot').length >= 2, null, {
      timeout: 30_000,
    });
  },
);

frontEndTest(
  "ipywidgets 8's own views on a live kernel: a slider, the policy explorer and the search control move it",
  300_000,
  async (server, browser) => {
    // The page and its bundle are static files the server serves (its /files/ are sandboxed, with a null
    // origin): same origin as the kernel's REST and websocket.
    const pageDir = join(server.data, 'nbextensions', 'ednas-live');
    const { build } = await import('esbuild');
    await build({
      entryPoints: [fileURLToPath(new URL('./live-widgets/page.ts', import.meta.url))],
      outdir: pageDir,
      bundle: true,
      format: 'iife',
      platform: 'browser',
      minify: true,
      logLevel: 'error',
      loader: {
        '.css': 'css',
        '.woff': 'empty',
        '.woff2': 'empty',
        '.ttf': 'empty',
        '.eot': 'empty',
        '.svg': 'dataurl',
        '.png': 'dataurl',
        '.gif': 'dataurl',
      },
      define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
      // libembed assigns webpack's asset path global.
      banner: { js: 'var __webpack_public_path__ = "";' },
    });
    writeFileSync(
      join(pageDir, 'live.html'),
      '<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="page.css">' +
        '<script src="page.js"></script></head><body style="padding:12px"><div id="out"></div></body></html>',
    );
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(`${server.url}/nbextensions/ednas-live/live.html`);
    await page.evaluate(async (k) => {
      (window as any).live = await (window as any).startLive(k);
    }, server.kernel);
    const run = (code: string) => page.evaluate((c) => (window as any).live.run(c), code) as Promise<string>;

    await run(
      'import { IntSlider, policyExplorer, searchControl, initBackend, readCifar10, resolveCifar10, Search, ' +
        "SEARCH_PRESETS } from 'ednas';\n" +
        "const s = new IntSlider({ value: 5, min: 0, max: 10, description: 'n' });\nlet moved: number[] = [];\n" +
        's.observe((c) => { moved.push(c.new as number); });\ns',
    );
    const handle = page.locator('.live-output').nth(0).locator('.noUi-handle');
    await handle.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(async () => (await (window as any).live.run('s.value')) === '7', null, {
      timeout: 20_000,
      polling: 500,
    });
    assert.equal(await run('JSON.stringify(moved)'), "'[6,7]'");

    await run(
      "await initBackend('wasm');\nconst search = new Search({ ...SEARCH_PRESETS.quick.config, epochs: 500, " +
        'limit: 200, weightSteps: 4, policySteps: 2, ' +
        'batchSize: 16, policyBatchSize: 16 }, readCifar10(resolveCifar10().dir).train);\n' +
        'const explorer = policyExplorer(search);\nexplorer',
    );
    await page.locator('.live-output').nth(1).locator('select').selectOption({ label: 'reduction cell' });
    await page.waitForFunction(
      async () => (await (window as any).live.run('explorer.cell.value')) === "'reduce'",
      null,
      { timeout: 20_000, polling: 500 },
    );
    await page.waitForFunction(
      () => /reduce cell/.test(document.querySelectorAll('.live-output')[1].textContent ?? ''),
      null,
      { timeout: 20_000 },
    );

    await run('const control = searchControl(search);\ncontrol');
    const control = page.locator('.live-output').nth(2);
    await control.getByRole('button', { name: /start/i }).click();
    await page.waitForFunction(
      async () => (await (window as any).live.run('search.steps.length > 0')) === 'true',
      null,
      { timeout: 60_000, polling: 500 },
    );
    await control.getByRole('button', { name: /stop/i }).click();
    await page.waitForFunction(async () => (await (window as any).live.run('control.state')) === "'stopped'", null, {
      timeout: 60_000,
      polling: 500,
    });
    await page.screenshot({ path: join(ARTIFACTS, 'kernel-live-widgets.png'), fullPage: true });
    assert.deepEqual(pageErrors, [], 'no error in the page');
    await page.evaluate(() => (window as any).live.shutdown());
  },
);
