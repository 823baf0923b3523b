// `ednas notebook NOTEBOOK --export-live DIR` in Debian's Chromium: the export of notebooks/cifar-search.ts,
// served by a plain static server on 127.0.0.1, runs a shrunk search (1 epoch, 1 weight and 1 policy step,
// set by the page's query) in a Web Worker on wasm and on webgpu (Chromium's software adapter here), and
// each samples the same child at every step as Node's wasm run of the same notebook and settings; the
// plots draw; a new learning rate re-runs the search and its plots but not the data cell; an interrupt
// stops a longer search at its next step; no console error. Screenshots in test-artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { NotebookSession } from '../../src/notebook/session.ts';
import { ARTIFACTS, chromiumSkip, CHROMIUM } from '../helpers/chromium.ts';
import { tempDir } from '../helpers/fixtures.ts';

const bin = new URL('../../bin/ednas.js', import.meta.url).pathname;
const notebook = new URL('../../notebooks/cifar-search.ts', import.meta.url).pathname;
/** The shrunk search, as `--set` values and as the page's query. */
const SHRUNK = { epochs: '1', weightSteps: '1' };
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

/** A static server of `dir` on 127.0.0.1: what any web host does, nothing more. */
async function serve(dir: string) {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
      /\/$/,
      '/index.html',
    );
    const file = join(dir, path);
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() };
}

/** The children Node's wasm run of the notebook samples with these settings, step by step (no evaluation). */
async function nodeChildren(): Promise<string[]> {
  const rawSets = new Map(Object.entries({ ...SHRUNK, backend: 'wasm', evaluation: '[]' }));
  const session = await NotebookSession.open(notebook, { cacheDir: false, rawSets });
  try {
    await session.whenIdle(200);
    const search = session.cells.get('search')!;
    assert.equal(search.state, 'fulfilled', search.error);
    return (search.value as { steps: { child: string }[] }).steps.map((s) => s.child);
  } finally {
    session.dispose();
  }
}

test('a live export runs the notebook in the browser on webgpu and wasm, with the children of Node', {
  skip: chromiumSkip(),
  timeout: 900_000,
}, async (t) => {
  // Each phase's end, in seconds from the start (in the test's diagnostics): what the test spends its time on.
  const start = Date.now();
  const phase = (what: string) => t.diagnostic(`${what}: ${((Date.now() - start) / 1000).toFixed(1)} s`);
  const dir = tempDir();
  const exported = spawnSync(process.execPath, [bin, 'notebook', notebook, '--export-live', dir], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  assert.equal(exported.status, 0, exported.stderr.slice(-3000));
  const size = /: \d+ files, (\d+\.\d) MB/.exec(exported.stdout);
  assert.ok(size, exported.stdout);
  assert.ok(Number(size[1]) <= 30, `at most 30 MB with the sample data: ${size[1]} MB`);
  for (const f of ['index.html', 'worker.js', 'tfjs-backend-wasm-simd.wasm', 'data/cifar10/data_batch_1.bin'])
    assert.ok(existsSync(join(dir, f)), f);
  assert.match(readFileSync(join(dir, 'index.html'), 'utf8'), /Content-Security-Policy" content="default-src 'self'/);

  phase('exported');

  const site = await serve(dir);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    // WebGPU on SwiftShader on any machine: the software adapter that the wasm page's auto passes over.
    args: ['--no-sandbox', '--headless', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'],
  });
  t.signal.addEventListener('abort', () => void browser.close());
  try {
    const open = async (query: Record<string, string> | string[][]) => {
      const page = await browser.newPage({ viewport: { width: 1100, height: 1600 } });
      // Every console error, and every request the server does not answer (openCifar10 asks only for the
      // files the export's files.json lists, so a missing batch is never requested).
      const errors: string[] = [];
      page.on('response', (r) => {
        if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
      });
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`${m.text()} (${m.location().url})`);
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      // The load waits for plotly.js and the editor beside a webgpu page compiling shaders on the CPU: minutes at
      // worst.
      await page.goto(`${site.url}?${new URLSearchParams(query)}`, { timeout: 180_000 });
      return { page, errors };
    };
    type Page = Awaited<ReturnType<typeof open>>['page'];
    const idle = (page: Page) =>
      page.waitForFunction(
        () =>
          document.body.dataset.idle === 'true' &&
          document.querySelectorAll('.cell').length > 0 &&
          document.querySelectorAll('.cell[data-state=pending], .cell[data-state=running]').length === 0,
        undefined,
        { timeout: 600_000, polling: 250 },
      );
    const busyThenIdle = async (page: Page) => {
      await page
        .waitForFunction(() => document.body.dataset.idle === 'false', undefined, { timeout: 30_000 })
        .catch(() => {});
      await idle(page);
    };
    const cells = (page: Page) =>
      page.evaluate(() =>
        Object.fromEntries(
          [...document.querySelectorAll<HTMLElement>('.cell')].map((c) => [
            c.id.slice(5),
            { runs: Number(c.dataset.runs), yields: Number(c.dataset.yields), state: c.dataset.state! },
          ]),
        ),
      );
    // The child column of the table of sampled children.
    const children = (page: Page) =>
      page.evaluate(() => {
        const table = document.querySelector('#cell-sampled .output table')!;
        const at = [...table.querySelectorAll('th')].findIndex((th) => th.textContent === 'child');
        return [...table.querySelectorAll('tbody tr')].map((tr) => tr.querySelectorAll('td')[at].textContent);
      });

    // webgpu runs alongside Node's run and the page on wasm (its own processes: on a software adapter every
    // new shader compiles slowly, on the CPU). The lazy evaluation is set to no results there (the wasm page
    // draws its plot), and so in Node's run, which gives the children: the search is what this compares.
    const gpu = await open({ ...SHRUNK, backend: 'webgpu', evaluation: '[]' });
    const expected = await nodeChildren();
    phase("Node's wasm run");
    assert.equal(expected.length, 2, `one weight and one policy step: ${expected.join(' ')}`);

    // wasm, which the page picks itself (Chromium's only WebGPU adapter here is software): the children of
    // Node; plots; a new learning rate; an interrupt. A mistyped setting in the link is left out, and said so;
    // one given twice is said too.
    const wasm = await open([...Object.entries(SHRUNK), ['epochz', '3'], ['weightSteps', '1']]);
    await idle(wasm.page);
    phase('wasm: first run');
    const problems = await wasm.page.locator('#problems').innerText();
    assert.match(
      problems,
      /^the link's \?epochz=3 is left out: the notebook has no cell named epochz; its cells are lr, /m,
    );
    assert.match(problems, /^the link gives \?weightSteps= 2 times: only the last, \?weightSteps=1, counts\.$/m);
    const first = await cells(wasm.page);
    for (const [name, c] of Object.entries(first)) assert.equal(c.state, 'fulfilled', `${name} on wasm`);
    assert.match(
      await wasm.page.locator('#cell-device .output').innerText(),
      /^wasm .*\nwhy: not webgpu: its WebGPU adapter, .* \(software\), is slower than wasm/,
    );
    assert.equal(await wasm.page.locator('.badge.cache').count(), 0, 'nothing is cached on disk in a browser');
    assert.deepEqual(await children(wasm.page), expected, 'wasm in the browser samples the children of Node');
    for (const plot of ['rewards', 'steps', 'operations', 'comparison'])
      await wasm.page.waitForSelector(`#cell-${plot} .main-svg`, { timeout: 30_000 });
    assert.match(await wasm.page.locator('#cell-report .output').innerText(), /images\/s/);

    await wasm.page.locator('#cell-lr .controls input[type=range]').fill('0.1');
    await busyThenIdle(wasm.page);
    phase('wasm: new learning rate');
    const moved = await cells(wasm.page);
    const ran = (n: string) => moved[n].runs - first[n].runs;
    assert.equal(ran('dataset'), 0, 'the data cell did not re-run');
    assert.equal(ran('search'), 1, 'the search re-ran once');
    for (const plot of ['rewards', 'steps', 'operations']) assert.ok(ran(plot) >= 1, `${plot} redrew`);
    const expectedAtLr = await children(wasm.page);
    assert.equal(moved.evaluation.state, 'stale', 'the lazy evaluation waits');

    // The same CIFAR-10 files picked from disk: the data cell decodes them, and the search that re-runs on
    // them samples the same children again.
    const sample = join(dir, 'data/cifar10');
    await wasm.page
      .locator('#cell-files .controls input[type=file]')
      .setInputFiles(['data_batch_1.bin', 'test_batch.bin', 'batches.meta.txt'].map((f) => join(sample, f)));
    await busyThenIdle(wasm.page);
    phase('wasm: picked files');
    const picked = await cells(wasm.page);
    assert.equal(picked.dataset.runs - moved.dataset.runs, 1, 'the data cell read the picked files');
    assert.equal(picked.dataset.state, 'fulfilled');
    assert.match(await wasm.page.locator('#cell-files .controls output').innerText(), /data_batch_1\.bin \(4\.9 MB\)/);
    assert.deepEqual(await children(wasm.page), expectedAtLr, 'the picked files give the same search');

    // A longer search (10 epochs of 10 weight steps, what the sample allows: at one step an epoch, the search
    // could end under load before the click was handled): its values reach the page while it trains (live
    // progress: a third value), and an interrupt stops it at its next step.
    const runsBefore = picked.search.runs;
    await wasm.page.locator('#cell-weightSteps .controls input[type=range]').fill('10');
    await wasm.page.locator('#cell-epochs .controls input[type=range]').fill('10');
    await wasm.page.waitForFunction(
      (before) => {
        const search = document.getElementById('cell-search')!.dataset;
        return Number(search.runs) > before && search.live === 'true' && Number(search.yields) > 2;
      },
      runsBefore,
      { timeout: 120_000, polling: 100 },
    );
    phase('wasm: live, clicking Interrupt');
    await wasm.page.click('#interrupt');
    phase('wasm: clicked');
    await wasm.page
      .waitForFunction(() => document.getElementById('cell-search')!.dataset.state === 'rejected', undefined, {
        timeout: 60_000,
      })
      .catch(async (e) => {
        // What the page showed instead: the search's badges and output, the status line, any problem.
        const shown = await wasm.page.evaluate(() => ({
          search: { ...document.getElementById('cell-search')!.dataset },
          output: document.querySelector('#cell-search .output')?.textContent?.slice(0, 200),
          status: document.getElementById('status')!.textContent,
          problems: document.getElementById('problems')!.textContent,
        }));
        throw new Error(`the search was not interrupted: ${JSON.stringify(shown)} (${(e as Error).message})`);
      });
    await idle(wasm.page);
    phase('wasm: interrupt');
    assert.match(
      await wasm.page.locator('#cell-search .error').innerText(),
      /interrupted: the cell stopped at its next step/,
    );
    assert.match(await wasm.page.locator('#cell-steps .error').innerText(), /interrupted: search stopped/);
    await wasm.page.click('#interrupt');
    await wasm.page.waitForFunction(() => document.getElementById('status')!.textContent === 'nothing was running');
    await wasm.page.screenshot({ path: join(ARTIFACTS, 'notebook-live-wasm.png'), fullPage: true });
    assert.deepEqual(wasm.errors, [], 'no console error, no 404 on wasm');
    await wasm.page.close();

    // webgpu: the same children.
    await idle(gpu.page);
    phase('webgpu: first run');
    const device = await gpu.page.locator('#cell-device .output').innerText();
    assert.match(device, /^webgpu .*adapter/, device);
    assert.equal((await cells(gpu.page)).search.state, 'fulfilled');
    assert.deepEqual(await children(gpu.page), expected, 'webgpu in the browser samples the children of Node');
    for (const plot of ['rewards', 'steps', 'operations'])
      await gpu.page.waitForSelector(`#cell-${plot} .main-svg`, { timeout: 30_000 });
    await gpu.page.screenshot({ path: join(ARTIFACTS, 'notebook-live-webgpu.png'), fullPage: true });
    assert.deepEqual(gpu.errors, [], 'no console error, no 404 on webgpu');
    phase('webgpu: plots');
  } finally {
    await browser.close();
    site.close();
  }
});
