// The notebook page in Debian's Chromium: refused without the token; every cell computed; the input cells
// as controls; dragging the learning-rate slider sends one new value and re-runs the search and its plots
// once (the dataset not); the lazy evaluation turns stale and runs on its Run button; lazy mode holds every
// cell until it is turned off. Screenshots in test-artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, chromiumSkip, launchChromium, pageErrors } from '../helpers/chromium.ts';
import { notebookPageUrl, startEdnas } from '../helpers/ednas-process.ts';

const notebook = new URL('../../notebooks/cifar-search.ts', import.meta.url).pathname;

test('the notebook page: token, input controls, exact re-runs, a lazy cell stale until run, lazy mode', {
  skip: chromiumSkip(),
  timeout: 600_000,
}, async (t) => {
  const server = startEdnas(['notebook', notebook, '--no-cache']);
  // A test that times out never reaches its finally: the server must not outlive it.
  t.signal.addEventListener('abort', () => server.child.kill('SIGKILL'));
  const browser = await launchChromium();
  try {
    const url = await notebookPageUrl(server);
    const bare = url.replace(/\?token=.*$/, '');
    assert.equal((await fetch(bare)).status, 403, 'no token, no page');
    assert.equal((await fetch(`${bare}api/events`)).status, 403);
    assert.equal(
      (await fetch(url.replace(/token=[0-9a-f]+/, `token=${'0'.repeat(48)}`))).status,
      403,
      'a wrong token is refused',
    );

    const page = await browser.newPage({ viewport: { width: 1100, height: 1600 } });
    const errors = pageErrors(page);
    const inputs: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/input')) inputs.push(r.postData() ?? '');
    });
    await page.goto(url);
    const idle = () =>
      page.waitForFunction(
        () => document.body.dataset.idle === 'true' && document.querySelectorAll('.cell').length > 0,
        undefined,
        { timeout: 300_000 },
      );
    const busyThenIdle = async () => {
      await page
        .waitForFunction(() => document.body.dataset.idle === 'false', undefined, { timeout: 30_000 })
        .catch(() => {});
      await idle();
    };
    await idle();
    const cells = () =>
      page.evaluate(() =>
        Object.fromEntries(
          [...document.querySelectorAll<HTMLElement>('.cell')].map((c) => [
            c.id.slice(5),
            { runs: Number(c.dataset.runs), yields: Number(c.dataset.yields), state: c.dataset.state! },
          ]),
        ),
      );
    const first = await cells();
    assert.ok(
      Object.values(first).every((c) => c.state === 'fulfilled'),
      JSON.stringify(first),
    );
    await page.waitForSelector('#cell-rewards .main-svg');
    // The inputs of the file are controls beside their cells.
    for (const name of ['lr', 'policyLr', 'entropyWeight', 'epochs'])
      assert.equal(await page.locator(`#cell-${name} .controls input[type=range]`).count(), 1, name);
    assert.equal(await page.locator('#cell-lr .input-label').innerText(), 'weight learning rate');
    assert.equal(await page.locator('#cell-lr .controls output').innerText(), '0.05');
    assert.match(await page.locator('#cell-evaluation .badges').innerText(), /lazy/);

    // Drag the learning-rate slider to about the middle of its range: one new value when it is let go.
    const slider = page.locator('#cell-lr .controls input[type=range]');
    const box = (await slider.boundingBox())!;
    const at = (v: number) => box.x + 8 + ((v - 0.001) / (0.2 - 0.001)) * (box.width - 16);
    await page.mouse.move(at(0.05), box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(at(0.1), box.y + box.height / 2, { steps: 12 });
    await page.mouse.up();
    await busyThenIdle();
    const lr = Number(await slider.inputValue());
    assert.ok(lr > 0.07 && lr < 0.13, `the slider moved to about 0.1: ${lr}`);
    assert.equal(inputs.length, 1, `one value sent for the whole drag: ${inputs.join(' ')}`);
    assert.deepEqual(JSON.parse(inputs[0]), { name: 'lr', value: lr });
    const moved = await cells();
    const ran = (n: string) => moved[n].runs - first[n].runs;
    assert.equal(ran('dataset'), 0, 'the data cell did not re-run');
    assert.equal(ran('lr'), 1);
    assert.equal(ran('config'), 1, 'config reads lr');
    assert.equal(ran('search'), 1, 'the search re-ran once');
    for (const plot of ['rewards', 'steps', 'operations']) {
      // A plot of a live search redraws as the search yields: once per snapshot of the one new search at most.
      assert.ok(
        ran(plot) >= 1 && ran(plot) <= moved.search.yields,
        `${plot}: ${ran(plot)} runs for ${moved.search.yields} snapshots`,
      );
    }
    assert.match(
      await page.locator('#cell-config .output').innerText(),
      new RegExp(`lr: ${lr}\\b`),
      'the structured view of the config shows the new rate',
    );
    assert.ok((await page.locator('#cell-rewards .main-svg').count()) > 0, 'plotly drew the reward figure');
    assert.equal(await page.locator('.badge.cache').count(), 0, '--no-cache: no cell is marked as cached');

    // The evaluation is lazy: it waits, stale, with its old output, and so do the cells that read it.
    for (const n of ['evaluation', 'comparison', 'results', 'report']) {
      assert.equal(moved[n].state, 'stale', n);
      assert.equal(ran(n), 0, n);
    }
    assert.match(await page.locator('#cell-evaluation .badge.stale').innerText(), /stale/);
    assert.match(await page.locator('#status').innerText(), /4 stale cells/);
    await page.screenshot({ path: join(ARTIFACTS, 'notebook-stale.png'), fullPage: true });
    await page.click('#cell-evaluation .run');
    await busyThenIdle();
    const after = await cells();
    for (const n of ['evaluation', 'comparison', 'results', 'report']) {
      assert.equal(after[n].state, 'fulfilled', n);
      assert.equal(after[n].runs - moved[n].runs, 1, `${n} ran once`);
    }
    assert.equal(after.search.runs, moved.search.runs, 'running the evaluation did not run the search');
    assert.match(await page.locator('#cell-results .output').innerText(), /derived[\s\S]*random/);
    await page.screenshot({ path: join(ARTIFACTS, 'notebook-page.png'), fullPage: true });

    // Lazy mode: a new entropy weight leaves every computed cell stale; turning the mode off runs them.
    await page.check('#lazy');
    await page.waitForFunction(() => document.body.dataset.lazy === 'true');
    const entropy = page.locator('#cell-entropyWeight .controls input[type=range]');
    await entropy.focus();
    await page.keyboard.press('ArrowRight');
    await busyThenIdle();
    const held = await cells();
    assert.equal(held.entropyWeight.runs - after.entropyWeight.runs, 1);
    assert.equal(held.config.state, 'stale');
    assert.equal(held.config.runs, after.config.runs, 'held back');
    assert.equal(held.search.state, 'stale');
    await page.uncheck('#lazy');
    await busyThenIdle();
    const released = await cells();
    assert.equal(released.config.runs - held.config.runs, 1);
    assert.equal(released.search.runs - held.search.runs, 1);
    assert.match(await page.locator('#cell-config .output').innerText(), /entropyWeight: 0\.001\b/);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.child.kill('SIGINT');
  }
});
