// wasm in Chromium: a cross-origin isolated page (COOP/COEP headers) runs tfjs' threaded build, with our SIMD
// kernels linked to its shared heap (kernels-shared.wasm), and trains the same as a page on one thread.
// bench/browser.ts' page and server, on a tiny supernet child (a few weight steps).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { buildPage, serve } from '../../bench/browser.ts';
import { chromiumSkip, launchChromium } from '../helpers/chromium.ts';

const skip = chromiumSkip();
const GENOTYPE = new URL('../../data/genotypes/darts_v2.json', import.meta.url).pathname;
const TINY = { backend: 'wasm', C: '4', L: '3', B: '4', S: '8', steps: '3', warmup: '0' };

interface Row {
  threads: number;
  note: string;
  loss_first: number;
  loss_last: number;
}

let dir: string;
const servers: Server[] = [];
let browser: Awaited<ReturnType<typeof launchChromium>>;

before(async () => {
  if (skip) return;
  dir = await buildPage(GENOTYPE);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  for (const s of servers) s.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function run(isolate: boolean): Promise<Row> {
  const { server, url } = await serve(dir, isolate);
  servers.push(server);
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // tfjs runs half the cores the browser reports: 4 reported gives threads even on a 2-core machine.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setHardwareConcurrencyOverride', { hardwareConcurrency: 4 });
  await page.goto(`${url}?${new URLSearchParams(TINY)}`);
  await page.waitForFunction(() => 'benchRow' in globalThis || 'benchError' in globalThis, null, {
    timeout: 60_000,
  });
  const { row, error } = await page.evaluate(() => {
    const g = globalThis as { benchRow?: Row; benchError?: string };
    return { row: g.benchRow, error: g.benchError };
  });
  await page.close();
  assert.ok(row, `the page failed: ${error ?? errors.join('; ')}`);
  assert.deepEqual(errors, []);
  return row;
}

test('an isolated page trains on wasm threads, with the loss of one thread', { skip }, async () => {
  const threaded = await run(true);
  const single = await run(false);
  assert.ok(threaded.threads > 1, `isolated: ${threaded.threads} thread(s): ${threaded.note}`);
  assert.match(threaded.note, /cross-origin isolated: tfjs' threaded wasm/);
  assert.equal(single.threads, 1, single.note);
  assert.match(single.note, /not cross-origin isolated/);
  for (const k of ['loss_first', 'loss_last'] as const) {
    assert.ok(Number.isFinite(threaded[k]), `${k} ${threaded[k]}`);
    const gap = Math.abs(threaded[k] - single[k]) / Math.abs(single[k]);
    assert.ok(gap < 1e-4, `${k}: ${threaded[k]} on ${threaded.threads} threads, ${single[k]} on one`);
  }
  assert.notEqual(threaded.loss_first, threaded.loss_last, 'the weight steps changed the weights');
});
