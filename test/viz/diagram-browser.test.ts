// Cell diagrams and epoch axes as a reader sees them, in Debian's Chromium: the diagrams of 30 random
// genotypes, DARTS V2, the cells a 2-epoch search derives and recurrent cells have no two edge labels
// overlapping and no label over a node (the rendered boxes, measured); the reward and policy figures of
// that 2-epoch search show whole epochs only. Screenshots go to test-artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Search } from '../../src/cnn/search.ts';
import { randomGenotype, randomRnnGenotype } from '../../src/policy/sample.ts';
import { Rng } from '../../src/random/rng.ts';
import { CELL_TYPES, parseGenotype, type Genotype } from '../../src/space/genotype.ts';
import { DARTS_V2_RNN } from '../../src/space/rnn-genotype.ts';
import { cellDiagram, recurrentCellDiagram } from '../../src/viz/cell-diagram.ts';
import { operationFigure, rewardFigure, stepFigure } from '../../src/viz/figures.ts';
import { onBackend } from '../helpers/backends.ts';
import { ARTIFACTS, chromiumSkip, launchChromium } from '../helpers/chromium.ts';
import { SEED } from '../helpers/random.ts';
import { TINY_SEARCH, tinyImages } from '../helpers/tiny.ts';

const DARTS_V2 = parseGenotype(readFileSync(new URL('../../data/genotypes/darts_v2.json', import.meta.url), 'utf8'));
const PLOTLY = createRequire(import.meta.url).resolve('plotly.js-dist-min');

/** A 2-epoch tiny search: its derived genotype and its reward, policy and step figures. */
async function twoEpochSearch() {
  return onBackend('wasm', async () => {
    const search = new Search({ ...TINY_SEARCH, seed: SEED, epochs: 2 }, tinyImages(40, SEED));
    await search.runEpoch();
    await search.runEpoch();
    const derived = await search.derive();
    const operations = CELL_TYPES.map((t) => operationFigure(search.policyHistory, t));
    const figures = [rewardFigure(search.epochs), ...operations, stepFigure(search.steps)];
    search.dispose();
    return { derived, figures };
  });
}

/**
 * Runs in the page (a string, so that no helper the TypeScript loader adds is needed there): every
 * overlap of two edge labels, of a label and a node, and every label text wider than its patch, as
 * measured on the rendered boxes. Two boxes overlap when both extents cross by more than 0.5 px.
 */
const MEASURE = `(() => {
  const out = [];
  const box = (e) => e.getBoundingClientRect();
  const crosses = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5
    && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
  for (const svg of document.querySelectorAll('svg')) {
    const title = svg.getAttribute('aria-label');
    const labels = [...svg.querySelectorAll('.edge-label')];
    const nodes = [...svg.querySelectorAll('.node')];
    if (labels.length === 0) out.push(title + ': no edge labels');
    labels.forEach((l, i) => {
      const say = (what) => out.push(title + ': ' + l.textContent + ' ' + what);
      for (const m of labels.slice(i + 1)) if (crosses(box(l), box(m))) say('overlaps ' + m.textContent);
      for (const n of nodes) if (crosses(box(l), box(n))) say('lies over node ' + n.textContent);
      const rect = box(l.querySelector('rect'));
      const text = box(l.querySelector('text'));
      if (text.left < rect.left - 0.5 || text.right > rect.right + 0.5) say('is wider than its patch');
    });
  }
  return out;
})()`;

/** Runs in the page: draws each figure with plotly and returns the text of its x tick labels. */
const TICKS = `(async (specs) => {
  const out = [];
  for (const f of specs) {
    const div = document.createElement('div');
    div.style.width = '700px';
    document.body.append(div);
    await Plotly.newPlot(div, f.data, f.layout);
    out.push([...div.querySelectorAll('.xtick text')].map((t) => t.textContent));
  }
  return out;
})`;

const BROWSER = { skip: chromiumSkip(), timeout: 120_000 };

test('cell diagrams: no label over another label or over a node; epoch axes are whole', BROWSER, async () => {
  const { derived, figures } = await twoEpochSearch();
  const rng = new Rng(SEED);
  const cells: [string, Genotype][] = [
    ['DARTS V2', DARTS_V2],
    ['derived (2-epoch search)', derived],
    ...Array.from({ length: 30 }, (_, k) => [`random ${k}`, randomGenotype(rng)] as [string, Genotype]),
  ];
  const svgs = [
    ...cells.flatMap(([name, g]) => CELL_TYPES.map((t) => cellDiagram(g, t, `${name}, ${t} cell`))),
    recurrentCellDiagram(DARTS_V2_RNN, 'DARTS V2 recurrent cell'),
    ...Array.from({ length: 10 }, (_, k) => recurrentCellDiagram(randomRnnGenotype(rng), `random ${k}, recurrent`)),
  ];
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.setContent(`<!doctype html><body style="display:flex;flex-wrap:wrap;gap:6px">${svgs.join('')}</body>`);
    const problems = (await page.evaluate(MEASURE)) as string[];
    assert.deepEqual(problems, []);
    assert.equal(await page.locator('svg').count(), 2 * cells.length + 11);
    await page.screenshot({ path: join(ARTIFACTS, 'cell-diagrams.png'), fullPage: true });

    // The figures of the 2-epoch run, drawn by plotly: every x tick label is a whole number.
    await page.setContent('<!doctype html><body></body>');
    await page.addScriptTag({ path: PLOTLY });
    const ticks = (await page.evaluate(`${TICKS}(${JSON.stringify(figures)})`)) as string[][];
    assert.equal(ticks.length, 4);
    for (const labels of ticks) {
      assert.ok(labels.length > 0);
      for (const t of labels) assert.match(t, /^\d+$/, `tick '${t}' of [${labels.join(', ')}] is not a whole number`);
    }
    assert.deepEqual(ticks[0], ['1', '2']);
    await page.screenshot({ path: join(ARTIFACTS, 'whole-epoch-axes.png'), fullPage: true });
  } finally {
    await browser.close();
  }
});
