// The notebook page in Debian's Chromium: refused without the token, every cell computed, editing the
// learning-rate cell (Shift+Enter) re-runs the search and its plots but not the data cell, plotly draws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ARTIFACTS, chromiumSkip, launchChromium } from '../helpers/chromium.ts';

const bin = new URL('../../bin/ednas.js', import.meta.url).pathname;
const notebook = new URL('../../notebooks/cifar-search.ts', import.meta.url).pathname;

test('the notebook page: token, live cells, an edit re-runs exactly its dependents', { skip: chromiumSkip(), timeout: 600_000 }, async (t) => {
  const server = spawn(process.execPath, [bin, 'notebook', notebook, '--no-cache'], { stdio: ['ignore', 'pipe', 'pipe'] });
  // A test that times out never reaches its finally: the server must not outlive it.
  t.signal.addEventListener('abort', () => server.kill('SIGKILL'));
  let stderr = '';
  server.stderr.on('data', (d) => { stderr += d; });
  const browser = await launchChromium();
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout.on('data', (d) => {
        out += d;
        const m = /notebook page: (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(out);
        if (m) resolve(m[1]);
      });
      server.on('exit', (code) => reject(new Error(`ednas notebook exited (${code}): ${stderr}`)));
    });
    const bare = url.replace(/\?token=.*$/, '');
    assert.equal((await fetch(bare)).status, 403, 'no token, no page');
    assert.equal((await fetch(bare + 'api/events')).status, 403);
    assert.equal((await fetch(url.replace(/token=[0-9a-f]+/, 'token=' + '0'.repeat(48)))).status, 403, 'a wrong token is refused');

    const page = await browser.newPage({ viewport: { width: 1100, height: 1600 } });
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(url);
    const idle = () => page.waitForFunction(() => document.body.dataset.idle === 'true' && document.querySelectorAll('.cell').length > 0, undefined, { timeout: 300_000 });
    await idle();
    const runs = () => page.evaluate(() => Object.fromEntries([...document.querySelectorAll<HTMLElement>('.cell')].map((c) => [c.id.slice(5), Number(c.dataset.runs)])));
    const states = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.cell')].map((c) => `${c.id.slice(5)}:${c.dataset.state}`));
    assert.ok(states.every((s) => s.endsWith(':fulfilled')), states.join(' '));
    await page.waitForSelector('#cell-rewards .main-svg');
    const before = await runs();

    // Edit the learning rate in its editor and run it with Shift+Enter.
    await page.evaluate(() => (window as unknown as { editors: Record<string, { setValue(v: string): void }> }).editors.lr.setValue('export const lr = 0.02;'));
    await page.click('#cell-lr .CodeMirror');
    await page.keyboard.press('Shift+Enter');
    await page.waitForFunction(() => document.body.dataset.idle === 'false', undefined, { timeout: 60_000 }).catch(() => {});
    await idle();
    const after = await runs();
    assert.equal(after.dataset, before.dataset, 'the data cell did not re-run');
    assert.equal(after.split, before.split + 1, 'the split reads config, so it re-ran once');
    assert.equal(after.config, before.config + 1, 'config reads lr');
    assert.equal(after.search, before.search + 1, 'the search re-ran once');
    assert.ok(after.rewards > before.rewards, 'its plot re-ran');
    assert.equal(after.lr, before.lr + 1, 'the edited cell itself ran once');
    assert.match(await page.locator('#cell-search .output').innerText(), /lr 0\.01/, 'the new search uses lr 0.02 (cosine at epoch 2: about 0.01)');
    assert.ok(await page.locator('#cell-rewards .main-svg').count() > 0, 'plotly drew the reward figure');
    assert.ok(await page.locator('#cell-search .badge.cache').count() === 1, 'the cached cell is marked');
    assert.deepEqual(errors, []);
    await page.screenshot({ path: join(ARTIFACTS, 'notebook-page.png'), fullPage: true });
  } finally {
    await browser.close();
    server.kill('SIGINT');
  }
});
