// Hostile names (column names, run names, titles, labels, metric names, operation names, object keys and
// strings, notebook cells' names, prose, sources, errors and input labels) through every helper that makes
// HTML: tables, figures, cell diagrams, heatmaps, progress, the structured value view, the report and a
// reactive notebook's export. Opened in Chromium, no
// script of theirs runs; in the HTML text they appear escaped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { from } from 'arquero';
import { mimeBundle, plotlyJs, progressBundle } from '../../src/display/mime.ts';
import { renderReport, type Section } from '../../src/report/report.ts';
import {
  comparisonBarsFigure,
  comparisonFigure,
  rewardFigure,
  sliderHeatmap,
  trainingFigure,
} from '../../src/viz/figures.ts';
import { perplexityFigure } from '../../src/viz/rnn-figures.ts';
import { cellDiagram, recurrentCellDiagram } from '../../src/viz/cell-diagram.ts';
import { tableHtml } from '../../src/viz/html.ts';
import { summarySection } from '../../src/report/run-report.ts';
import { DARTS_V2_RNN } from '../../src/space/rnn-genotype.ts';
import { genotypeFromJson, type Genotype } from '../../src/space/genotype.ts';
import type { RnnGenotype } from '../../src/space/rnn-genotype.ts';
import { ARTIFACTS, chromiumSkip, launchChromium } from '../helpers/chromium.ts';
import { readFileSync } from 'node:fs';
import { heatmapSvg } from '../../src/viz/heatmap-svg.ts';
import { exportHtml } from '../../src/notebook/export.ts';
import { markdownHtml } from '../../src/notebook/markdown.ts';
import type { CellView } from '../../src/notebook/view.ts';

const EVIL = [
  '<img src=x onerror="window.__pwned=1">',
  '<script>window.__pwned=2</script>',
  '"><svg onload="window.__pwned=3">',
  "'><iframe src=javascript:window.parent.__pwned=4>",
  '<a href="javascript:window.__pwned=5">click</a>',
];
const evil = (k: number) => EVIL[k % EVIL.length];

const darts = genotypeFromJson(readFileSync(new URL('../fixtures/genotype_darts_v2.json', import.meta.url), 'utf8'));
// Past validation (a notebook can hand any object to a helper): operation and activation names.
const hostileCell = { ...darts, normal: darts.normal.map(([, j], k) => [evil(k), j]) } as unknown as Genotype;
const hostileRnn = {
  ...DARTS_V2_RNN,
  recurrent: DARTS_V2_RNN.recurrent.map(([, j], k) => [evil(k), j]),
} as unknown as RnnGenotype;
const table = from([{ [evil(0)]: evil(1), [evil(2)]: 3, [evil(3)]: evil(4) }]);

function hostileParts(): { html: string[]; sections: Section[] } {
  const epochs = [
    {
      epoch: 1,
      mean_reward: 0.1,
      baseline: 0.1,
      entropy: 3,
      train_loss: 2,
      train_acc: 0.2,
      test_acc: 0.2,
      train_ppl: 300,
      valid_ppl: 320,
    },
  ];
  const figures = [
    rewardFigure(epochs, evil(0)),
    trainingFigure(evil(1), epochs),
    perplexityFigure(evil(2), epochs),
    comparisonFigure(EVIL.map((name) => ({ name, epochs: [{ epoch: 1, test_acc: 0.5 }] }))),
    comparisonBarsFigure(EVIL.map((name) => ({ name, test_acc: 0.5, params: 1000 }))),
    sliderHeatmap(evil(3), EVIL, EVIL, [{ epoch: 1, z: EVIL.map(() => EVIL.map(() => 0.2)) }], {
      x: evil(4),
      y: evil(0),
    }),
  ];
  const diagrams = [cellDiagram(hostileCell, 'normal', evil(1)), recurrentCellDiagram(hostileRnn, evil(2))];
  const html = [
    tableHtml(table),
    String(mimeBundle(table)['text/html']),
    progressBundle({ stage: 'train', epoch: 1, step: 1, total: 2, metrics: { [evil(0)]: 1 } })['text/html'],
    ...figures.map((f) => String(mimeBundle(f)['text/html'])),
    ...diagrams,
    String(mimeBundle(hostileCell)['text/html']),
    String(mimeBundle(hostileRnn)['image/svg+xml']),
    // The structured view of values: keys, strings, map and set entries, records as a table, class names.
    String(
      mimeBundle({
        [evil(0)]: evil(1),
        list: EVIL,
        rows: EVIL.map((e) => ({ [e]: e, n: 1 })),
        map: new Map([[evil(2), evil(3)]]),
        set: new Set(EVIL),
        nested: { deep: { [evil(4)]: [evil(0)] } },
      })['text/html'],
    ),
    String(mimeBundle(Object.assign(new (class Run {})(), { [evil(1)]: evil(2) }))['text/html']),
    heatmapSvg(
      evil(3),
      EVIL,
      EVIL,
      EVIL.map(() => EVIL.map(() => 0.2)),
    ),
    markdownHtml(`# ${evil(0)}\n\n${evil(1)} **${evil(2)}** \`${evil(3)}\`\n\n- ${evil(4)}`),
  ];
  const sections: Section[] = [
    summarySection({ [evil(0)]: evil(1) }),
    { kind: 'table', title: evil(2), table },
    ...figures.map((figure) => ({ kind: 'figure' as const, figure })),
    ...diagrams.map((svg) => ({ kind: 'svg' as const, svg })),
  ];
  return { html, sections };
}

/** A reactive notebook's export whose every cell part is hostile, with one figure. */
function hostileExport(): string {
  const cell = (k: number, extra: Partial<CellView>): CellView => ({
    name: `c${k}`,
    inputs: [evil(k)],
    text: `export const c${k} = ${JSON.stringify(evil(k + 1))}; // ${evil(k + 2)}`,
    prose: evil(k + 3),
    proseHtml: markdownHtml(evil(k + 3)),
    cache: false,
    lazy: true,
    state: 'fulfilled',
    live: false,
    runs: 1,
    yields: 0,
    ...extra,
  });
  return exportHtml({
    title: evil(0),
    intro: `# ${evil(1)}\n\n${evil(2)}`,
    cells: [
      cell(0, {
        input: { kind: 'range', value: 1, min: 0, max: 2, step: 1, label: evil(0) },
        output: { 'text/plain': evil(1) },
      }),
      cell(1, {
        input: { kind: 'select', value: evil(2), options: EVIL, label: evil(3) },
        output: { 'text/plain': evil(2) },
      }),
      cell(2, { state: 'rejected', error: evil(4) }),
      cell(3, {
        output: {
          plotly: rewardFigure([{ epoch: 1, mean_reward: 0.1, baseline: 0.1, entropy: 3 }], evil(0)),
          'text/plain': evil(1),
        },
      }),
      cell(4, { output: mimeBundle({ [evil(0)]: EVIL }) }),
    ],
  });
}

test('hostile names come out escaped from every table, figure, diagram and progress helper', () => {
  const { html, sections } = hostileParts();
  const report = renderReport(evil(0), sections);
  for (const h of [...html, report]) {
    // Outside script elements (where figures are JSON with "<" written as \u003c) no tag of theirs survives.
    const markup = h.replace(/<script>[\s\S]*?<\/script>/g, '');
    for (const tag of ['<img', '<script>window', '<svg onload', '<iframe', '<a href'])
      assert.ok(!markup.includes(tag), `${tag} in ${markup.slice(0, 200)}`);
  }
  const exported = hostileExport().replace(/<script(?: type="application\/json"[^>]*)?>[\s\S]*?<\/script>/g, '');
  for (const tag of ['<img', '<script>window', '<svg onload', '<iframe', '<a href'])
    assert.ok(!exported.includes(tag), `${tag} in the export`);
});

test('pages of hostile names run none of their script in Chromium', { skip: chromiumSkip() }, async () => {
  const { html, sections } = hostileParts();
  // As in a notebook whose earlier output brought plotly.js.
  const notebookPage =
    `<!doctype html><html><head><meta ` +
    `charset="utf-8"><script>${plotlyJs()}</script></head>` +
    `<body>${html.map((h) => `<div>${h}</div>`).join('\n')}</body></html>`;
  const files = {
    'hostile-outputs.html': notebookPage,
    'hostile-report.html': renderReport(evil(0), sections),
    'hostile-export.html': hostileExport(),
  };
  const plots: Record<string, number> = {
    'hostile-outputs.html': 6,
    'hostile-report.html': 6,
    'hostile-export.html': 1,
  };
  const browser = await launchChromium();
  try {
    for (const [name, text] of Object.entries(files)) {
      const file = join(ARTIFACTS, name);
      writeFileSync(file, text);
      const page = await browser.newPage();
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.goto(`file://${file}`);
      await page.waitForFunction((n) => document.querySelectorAll('.main-svg').length >= n, plots[name], {
        timeout: 30_000,
      });
      // Click what a user might where a hostile name shows (labels, legend entries, cells), and every link but
      // plotly's toolbar.
      const targets = page.locator('a:not(.modebar-btn)').or(page.locator('text, th, td').filter({ hasText: 'pwned' }));
      for (const el of await targets.all()) await el.click({ force: true, timeout: 200 }).catch(() => {});
      await page.waitForTimeout(300);
      assert.equal(
        await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned),
        undefined,
        `${name}: a hostile name ran script`,
      );
      assert.deepEqual(dialogs, [], name);
      await page.close();
    }
  } finally {
    await browser.close();
  }
});
