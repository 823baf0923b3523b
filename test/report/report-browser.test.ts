// The report of a small recorded search, opened in Debian's Chromium: no console errors, every figure
// drawn by plotly, a screenshot kept under test-artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Search } from '../../src/cnn/search.ts';
import { writeGenotype, writeSearchTables } from '../../src/cnn/run.ts';
import { describeEnvironment, MANIFEST_SCHEMA, RunDir } from '../../src/rundir/run-dir.ts';
import { reportFromRunDir } from '../../src/report/from-run-dir.ts';
import { initBackend } from '../../src/backend/select.ts';
import { onBackend } from '../helpers/backends.ts';
import { tempDir } from '../helpers/fixtures.ts';
import { ARTIFACTS, chromiumSkip, launchChromium } from '../helpers/chromium.ts';
import { SEED } from '../helpers/random.ts';
import { TINY_SEARCH, tinyImages } from '../helpers/tiny.ts';

test('a search report renders in Chromium: every figure drawn, no console errors', { skip: chromiumSkip() }, () =>
  onBackend('wasm', async () => {
    const dir = tempDir();
    const run = new RunDir(dir);
    const search = new Search({ ...TINY_SEARCH, seed: SEED, epochs: 2 }, tinyImages(40, SEED));
    await search.runEpoch();
    await search.runEpoch();
    writeSearchTables(run, search);
    writeGenotype(run, await search.derive());
    run.writeManifest({
      schema: MANIFEST_SCHEMA,
      task: 'cnn',
      kind: 'search',
      status: 'finished',
      command: 'test',
      config: search.config,
      seed: SEED,
      ...describeEnvironment(await initBackend('wasm')),
      data: { dir: 'tiny', source: 'given', files: [{ path: 'tiny.bin', bytes: 1, sha256: '0'.repeat(64) }] },
      started: new Date().toISOString(),
      wall_s: 1,
    });
    search.dispose();
    const file = join(dir, 'report.html');
    writeFileSync(file, reportFromRunDir(dir));
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`file://${file}`);
      await page.waitForFunction(() => document.querySelectorAll('.fig .main-svg').length > 0);
      const figures = await page.locator('.fig').count();
      assert.equal(figures, 9);
      // Every figure container holds plotly's SVG.
      assert.equal(await page.locator('.fig:has(.main-svg)').count(), figures);
      assert.equal(await page.locator('svg[aria-label$=" cell"]').count(), 2);
      assert.deepEqual(errors, []);
      await page.screenshot({ path: join(ARTIFACTS, 'search-report.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  }),
);
