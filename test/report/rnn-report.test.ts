// The recurrent cell's figures and report: built from a recorded PTB search, opened in Chromium in a dark
// colour scheme, every figure drawn without console errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RnnPolicy } from '../../src/policy/policy.ts';
import { DARTS_V2_RNN } from '../../src/space/rnn-genotype.ts';
import {
  activationFigure,
  activationHeatmapFigure,
  inputHeatmapFigure,
  perplexityFigure,
} from '../../src/viz/rnn-figures.ts';
import { recurrentCellDiagram } from '../../src/viz/cell-diagram.ts';
import { rnnRunReport } from '../../src/report/run-report.ts';
import { mimeBundle } from '../../src/display/mime.ts';
import { ARTIFACTS, chromiumSkip, launchChromium } from '../helpers/chromium.ts';

const p0 = new RnnPolicy();
const p1 = new RnnPolicy();
p1.logits[36 + 4 * 1 + 2] = 2; // edge (node 2 <- node 0): sigmoid
const history = [
  { epoch: 0, probabilities: p0.probabilities() },
  { epoch: 1, probabilities: p1.probabilities() },
];
const epochs = [1, 2].map((epoch) => ({
  epoch,
  lr: 20,
  train_loss: 6,
  train_ppl: 400 / epoch,
  mean_reward: 0.1 * epoch,
  baseline: 0.1,
  entropy: 21 - epoch,
  log_prob: -21,
  genotype: JSON.stringify(DARTS_V2_RNN),
  weight_steps: 1,
  policy_steps: 1,
  wall_s: 1,
  tokens_per_s: 1,
  tensors: 1,
  peak_rss_mb: 1,
}));

test(
  'recurrent figures: 4 activation traces; 36 edges x 4 activations and 8 nodes x 8 inputs with a frame per ' +
    'epoch; perplexity on a log axis',
  () => {
    const a = activationFigure(history);
    assert.deepEqual(
      a.data.map((d) => d.name),
      ['tanh', 'relu', 'sigmoid', 'identity'],
    );
    assert.ok((a.data[2].y as number[])[1] > (a.data[2].y as number[])[0], 'sigmoid gained');
    const heat = activationHeatmapFigure(history);
    assert.equal((heat.data[0].z as number[][]).length, 36);
    assert.equal((heat.data[0].y as string[])[1], 'node 2 ← 0');
    assert.ok((heat.data[0].z as number[][])[1][2] > 0.5);
    assert.equal(heat.frames!.length, 2);
    assert.equal((inputHeatmapFigure(history).data[0].z as number[][]).length, 8);
    const ppl = perplexityFigure('t', [{ epoch: 1, train_ppl: 500, valid_ppl: 450 }]);
    assert.equal((ppl.layout.yaxis as { type: string }).type, 'log');
    assert.deepEqual(
      ppl.data.map((d) => d.name),
      ['train perplexity', 'validation perplexity'],
    );
  },
);

test('the recurrent cell diagram: every node, an edge label per node, h_t; as a notebook output it is SVG', () => {
  const svg = recurrentCellDiagram(DARTS_V2_RNN);
  for (const label of ['x_t', 'h_{t-1}', 'h_t', '>8<']) assert.ok(svg.includes(label), label);
  assert.equal((svg.match(/marker-end/g) ?? []).length, 2 + 8, 'two inputs into node 0 and one edge per node');
  assert.equal(mimeBundle(DARTS_V2_RNN)['image/svg+xml'], svg);
});

test('a PTB search report: headline against the paper, figures drawn in a dark scheme, no console errors', {
  skip: chromiumSkip(),
}, async () => {
  const html = rnnRunReport({
    title: 'PTB',
    summary: { seed: 0 },
    search: { epochs, policyHistory: history },
    genotype: DARTS_V2_RNN,
    reproduce: 'ednas search --preset ptb-quick',
    headline: { task: 'PTB', search_s: 3600 },
  });
  assert.match(html, /Headline numbers against the paper \(PTB\)/);
  assert.match(html, /59\.45 test perplexity/);
  assert.match(html, /1\.00 h on this machine/);
  assert.match(html, /ednas search --preset ptb-quick/);
  const browser = await launchChromium();
  const file = join(ARTIFACTS, 'ptb-report.html');
  writeFileSync(file, html);
  try {
    const page = await browser.newPage({ colorScheme: 'dark', viewport: { width: 1000, height: 1400 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`file://${file}`);
    await page.waitForFunction(
      () => document.querySelectorAll('.fig:has(.main-svg)').length === document.querySelectorAll('.fig').length,
    );
    assert.equal(await page.locator('.fig').count(), 5);
    // Dark scheme: transparent plot background, light text.
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, 'rgb(22, 22, 24)');
    assert.equal(
      await page
        .locator('.fig .main-svg .bg')
        .first()
        .getAttribute('style')
        .then((s) => /fill-opacity: 0/.test(s ?? '')),
      true,
    );
    assert.deepEqual(errors, []);
    await page.screenshot({ path: join(ARTIFACTS, 'ptb-report-dark.png'), fullPage: true });
  } finally {
    await browser.close();
  }
});
