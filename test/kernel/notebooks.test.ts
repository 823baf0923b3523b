// Every stage notebook executed top to bottom by nbclient on the installed kernel, then its outputs checked:
// tables, genotypes, plotly bundles with the expected traces, live progress as one updating output, and the
// policy explorer widget: its widget-view bundle, the model state nbclient saved, and that saved state
// rendered in Chromium by ipywidgets' HTML manager (offline, screenshot in test-artifacts/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jupyterSkip, kernelEnvironment, PYTHON } from '../helpers/jupyter.ts';
import { tempDir } from '../helpers/fixtures.ts';
import { ARTIFACTS, chromiumSkip, launchChromium } from '../helpers/chromium.ts';
import { widgetPage } from '../helpers/widget-page.ts';

const NOTEBOOKS = fileURLToPath(new URL('../../notebooks/', import.meta.url));
type Output = {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, any>;
  ename?: string;
};
const text = (v: unknown) => (Array.isArray(v) ? v.join('') : String(v ?? ''));

test('the stage notebooks run through nbclient and show what they promise', { skip: jupyterSkip() }, async (t) => {
  const env = await kernelEnvironment();
  const out = tempDir();
  const books = readdirSync(NOTEBOOKS)
    .filter((f) => f.endsWith('.ipynb'))
    .sort();
  assert.deepEqual(books, [
    '01-data-split.ipynb',
    '02-policy-sampling.ipynb',
    '03-supernet-training.ipynb',
    '04-evaluation.ipynb',
    '05-plots-and-report.ipynb',
    '06-rnn-ptb.ipynb',
  ]);
  const p = spawnSync(
    PYTHON,
    [
      fileURLToPath(new URL('./run_notebooks.py', import.meta.url)),
      env.EDNAS_KERNEL!,
      out,
      ...books.map((b) => join(NOTEBOOKS, b)),
    ],
    { env, encoding: 'utf8', timeout: 900_000 },
  );
  assert.equal(p.status, 0, p.stderr.slice(-4000));
  const times = JSON.parse(p.stdout) as Record<string, number>;
  for (const [book, s] of Object.entries(times)) t.diagnostic(`${book}: ${s} s`);

  const outputs = (book: string): Output[][] =>
    JSON.parse(readFileSync(join(out, book), 'utf8'))
      .cells.filter((c: { cell_type: string }) => c.cell_type === 'code')
      .map((c: { outputs: Output[] }) => c.outputs);
  const results = (cell: Output[]) => cell.filter((o) => o.output_type === 'execute_result');
  const plotly = (o: Output) => o.data!['application/vnd.plotly.v1+json'];
  for (const book of books)
    for (const cell of outputs(book))
      assert.ok(!cell.some((o) => o.output_type === 'error'), `${book}: no cell failed`);

  const [summary, split] = outputs('01-data-split.ipynb');
  assert.match(text(results(summary)[0].data!['text/html']), /<table/);
  assert.match(text(results(summary)[0].data!['text/plain']), /train\s+1600\s+10\s+32x32x3/);
  assert.match(
    text(split.find((o) => o.output_type === 'stream')!.text),
    /weight part 1280 images, policy part 320 images/,
  );

  const [child, structure, operations] = outputs('02-policy-sampling.ipynb');
  assert.match(text(results(child)[0].data!['text/plain']), /^Genotype\(normal=\[\('/);
  assert.equal(
    (text(results(child)[0].data!['text/html']).match(/<svg/g) ?? []).length,
    2,
    'normal and reduction cell diagrams',
  );
  assert.equal(plotly(results(structure)[0]).data[0].type, 'heatmap');
  assert.equal(plotly(results(operations)[0]).data.length, 7, 'one trace per operation');

  const [search, steps, rewards, derived] = outputs('03-supernet-training.ipynb');
  const progress = search.filter((o) => o.output_type === 'display_data');
  assert.equal(progress.length, 1, 'live progress is one output updated in place');
  assert.match(text(progress[0].data!['text/plain']), /epoch 2\/2 done/);
  assert.equal(plotly(results(steps)[0]).data.length, 4);
  assert.deepEqual(
    plotly(results(rewards)[0]).data.map((d: { name: string }) => d.name),
    ['mean reward', 'baseline', 'entropy'],
  );
  assert.match(text(results(derived)[0].data!['text/plain']), /^Genotype\(normal=/);

  const evaluation = outputs('04-evaluation.ipynb');
  assert.match(text(results(evaluation[1])[0].data!['text/plain']), /DARTS V2[\s\S]*random 1[\s\S]*random 2/);
  assert.deepEqual(plotly(results(evaluation[2])[0]).data[0].x, ['DARTS V2', 'random 1', 'random 2']);

  const report = outputs('05-plots-and-report.ipynb');
  assert.ok(plotly(results(report[1])[0]).frames.length >= 3, 'the heatmap has a frame per epoch (slider)');
  assert.match(text(report[4].find((o) => o.name === 'stdout')!.text), /report: .*report\.html/);

  // The policy explorer: a widget view, and its models' state saved in the notebook's metadata.
  const view = results(report[3])[0].data!;
  assert.match(
    text(view['text/plain']),
    new RegExp(
      String.raw`^PolicyExplorer\(epoch=2, cell="normal"\)\n` +
        String.raw`A live widget: it shows in JupyterLab 4, Notebook 7 and VS Code \(ipywidgets 8\)\.$`,
    ),
  );
  const modelId = view['application/vnd.jupyter.widget-view+json'].model_id as string;
  assert.deepEqual(view['application/vnd.jupyter.widget-view+json'], {
    version_major: 2,
    version_minor: 0,
    model_id: modelId,
  });
  const saved = JSON.parse(readFileSync(join(out, '05-plots-and-report.ipynb'), 'utf8')).metadata.widgets[
    'application/vnd.jupyter.widget-state+json'
  ];
  assert.equal(saved.version_major, 2);
  const models = saved.state as Record<
    string,
    { model_name: string; model_module: string; model_module_version: string; state: Record<string, any> }
  >;
  const model = (ref: string) => models[ref.replace(/^IPY_MODEL_/, '')];
  const box = models[modelId];
  assert.equal(box.model_name, 'VBoxModel');
  assert.equal(box.model_module, '@jupyter-widgets/controls');
  assert.equal(box.model_module_version, '2.0.0');
  const [controls, picture] = box.state.children.map(model);
  const [slider, dropdown] = controls.state.children.map(model);
  assert.equal(slider.model_name, 'IntSliderModel');
  assert.deepEqual(
    [slider.state.description, slider.state.min, slider.state.max, slider.state.value],
    ['epoch', 0, 2, 2],
  );
  assert.equal(model(slider.state.layout).model_name, 'LayoutModel');
  assert.equal(model(slider.state.style).model_name, 'SliderStyleModel');
  assert.deepEqual(
    [dropdown.model_name, dropdown.state._options_labels, dropdown.state.index],
    ['DropdownModel', ['normal cell', 'reduction cell'], 0],
  );
  assert.equal(picture.model_name, 'HTMLModel');
  assert.equal((picture.state.value.match(/<svg/g) ?? []).length, 3, 'two heatmaps and the argmax cell');
  assert.match(picture.state.value, /argmax normal cell, after epoch 2/);

  // That saved state renders without a kernel, as nbviewer would: slider, dropdown and the SVG figures.
  if (!chromiumSkip()) {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
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
      await page.goto(widgetPage(saved, modelId));
      await page.waitForSelector('.widget-slider .noUi-handle, .widget-slider input', { timeout: 60_000 });
      await page.waitForSelector('.widget-dropdown select');
      await page.waitForSelector('.widget-html svg');
      assert.equal(await page.locator('.widget-html svg').count(), 3);
      assert.match(await page.locator('.widget-readout').first().innerText(), /^2$/);
      assert.equal(await page.locator('.widget-dropdown select').inputValue(), 'normal cell');
      assert.deepEqual(errors, []);
      assert.deepEqual(outside, [], 'no network');
      await page.screenshot({ path: join(ARTIFACTS, 'widgets-policy-explorer.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  }

  const rnn = outputs('06-rnn-ptb.ipynb');
  assert.equal(plotly(results(rnn[0])[0]).data.length, 3);
  assert.match(text(results(rnn[1])[0].data!['image/svg+xml']), /<svg[\s\S]*h_t/);
  assert.match(text(results(rnn[2])[0].data!['text/plain']), /derived[\s\S]*random 1[\s\S]*random 2/);
});
