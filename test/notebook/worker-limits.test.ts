// The process that runs a notebook's cells has limits the server does not share: a cell that takes
// memory without end (ArrayBuffers, outside the V8 heap) is stopped, not the server, and the notebook
// comes back with its edits; processes a cell starts end with Restart and with the server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NotebookHost } from '../../src/notebook/host.ts';
import { tempDir } from '../helpers/fixtures.ts';

const bin = new URL('../../bin/ednas.js', import.meta.url).pathname;

const notebook = (body: string) => {
  const file = join(tempDir(), 'nb.ts');
  writeFileSync(file, body);
  return file;
};

async function until<T>(what: string, get: () => T | undefined, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Whether a process has ended (gone, or a zombie nobody reaped yet). */
function ended(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1][0] === 'Z';
  } catch {
    return true;
  }
}

const KID = `import { spawn } from 'node:child_process';
export const kid = () => spawn('sleep', ['300'], { stdio: 'ignore' }).pid;
`;
const kidPid = (host: NotebookHost, not?: number) => {
  const text = host.cells.get('kid')?.output?.['text/plain'];
  return text !== undefined && Number(text) !== not ? Number(text) : undefined;
};

test('a cell that takes memory without end is stopped, not the host; the notebook restarts with its edits', {
  timeout: 120_000,
}, async () => {
  const file = notebook(`export const n = 1;
export const hog = (n: number) => {
  if (n < 2) return 0;
  const kept: Uint8Array[] = [];
  for (let i = 0; i < 40; i++) kept.push(new Uint8Array(50e6).fill(1));
  return kept.length;
};
export const other = () => 5;
`);
  const host = await NotebookHost.open(file, { memoryMb: 300, cacheDir: false });
  const problems: string[] = [];
  host.on('problem', (m: string) => problems.push(m));
  try {
    await until('the first run', () => host.cells.get('other')?.state === 'fulfilled');
    await host.act('define', { name: 'n', text: 'export const n = 2;' });
    const error = await until('the hog held back', () => host.cells.get('hog')?.error);
    assert.match(
      error,
      /stopped: it was running when the cells took \d+ MB of memory, past the notebook's limit of 300 MB/,
    );
    assert.match(
      problems.join('\n'),
      /past the notebook's limit of 300 MB.*restarting it without the cells that were running, with your edits/,
    );
    assert.equal(host.cells.get('n')!.text, 'export const n = 2;', 'the edit is kept');
    await until('the other cells again', () => host.cells.get('other')?.state === 'fulfilled');
    assert.ok(process.memoryUsage().rss < 1e9, 'the host did not take the memory');
  } finally {
    await host.close();
  }
});

test('processes a cell started end with Restart and with close', { timeout: 60_000 }, async () => {
  const host = await NotebookHost.open(notebook(KID), { cacheDir: false });
  let closed = false;
  try {
    const first = await until('the first sleep', () => kidPid(host));
    assert.ok(!ended(first));
    await host.restart();
    await until('the first sleep to end with Restart', () => ended(first), 5000);
    const second = await until('the sleep after Restart', () => kidPid(host, first));
    await host.close();
    closed = true;
    await until('the second sleep to end with close', () => ended(second), 5000);
  } finally {
    if (!closed) await host.close();
  }
});

test('ednas notebook: SIGTERM ends the sleep a cell started; a body of null is refused in words', {
  timeout: 60_000,
}, async () => {
  const child = spawn(process.execPath, [bin, 'notebook', notebook(KID), '--no-cache'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const url = await until('the page', () => /notebook page: (http:\S+)/.exec(out)?.[1]);
  const base = url.replace(/\/\?token=.*$/, '');
  const page = await fetch(url);
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0];
  const xsrf = /name="ednas-xsrf" content="([0-9a-f]+)"/.exec(await page.text())![1];
  const reader = (await fetch(`${base}/api/events`, { headers: { cookie } })).body!.getReader();
  let events = '';
  const pid = await (async () => {
    for (;;) {
      events += new TextDecoder().decode((await reader.read()).value);
      const m = /"name":"kid"[^\n]*?"text\/plain":"(\d+)"/.exec(events);
      if (m) return Number(m[1]);
    }
  })();
  await reader.cancel();
  const r = await fetch(`${base}/api/run`, {
    method: 'POST',
    headers: { cookie, 'x-ednas-xsrf': xsrf, origin: base, 'content-type': 'application/json' },
    body: 'null',
  });
  assert.equal(r.status, 400);
  assert.match(await r.text(), /the request body must be a JSON object of named fields/);
  assert.ok(!ended(pid));
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
  await until('the sleep to end with the server', () => ended(pid), 5000);
});
