// The notebook page server under hostile and clumsy requests, over real HTTP against `ednas notebook`:
// malformed tokens and requests, cross-origin writes (edits, input values, runs, lazy mode), two servers at
// once, huge bodies, cells that reject
// unawaited promises or loop forever, saves after an outside edit, built-in property names, a port in use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { createServer } from 'node:http';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/fixtures.ts';

const bin = new URL('../../bin/ednas.js', import.meta.url).pathname;

const NOTEBOOK = `/** # Hostile */
export const a = 2;
export const b = (a: number) => a * 10;
export const spin = (b: number) => { if (b > 30) { while (true) {} } return b + 1; };
export const orphan = (a: number) => { Promise.reject(new Error('nobody awaits me')); return a; };
`;

interface Served {
  child: ChildProcess;
  url: string;
  base: string;
  port: number;
  stderr: () => string;
}

async function serve(file: string, args: string[] = []): Promise<Served> {
  const child = spawn(process.execPath, [bin, 'notebook', file, '--no-cache', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => {
    err += d;
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /notebook page: (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`ednas notebook exited (${code}): ${err}`)));
  });
  const base = url.replace(/\/\?token=.*$/, '');
  return { child, url, base, port: Number(new URL(url).port), stderr: () => err };
}

/** The cookie the page sets, and its secret for writes. */
async function session(s: Served): Promise<{ cookie: string; xsrf: string }> {
  const r = await fetch(s.url);
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0];
  const xsrf = /name="ednas-xsrf" content="([0-9a-f]+)"/.exec(await r.text())![1];
  return { cookie, xsrf };
}

const post = (
  s: Served,
  path: string,
  o: { cookie: string; xsrf?: string; origin?: string; type?: string; body?: string; site?: string },
) =>
  fetch(`${s.base}${path}`, {
    method: 'POST',
    headers: {
      cookie: o.cookie,
      'content-type': o.type ?? 'application/json',
      ...(o.xsrf !== undefined && { 'x-ednas-xsrf': o.xsrf }),
      ...(o.origin && { origin: o.origin }),
      ...(o.site && { 'sec-fetch-site': o.site }),
    },
    body: o.body ?? '{}',
  });

const alive = async (s: Served) => (await fetch(s.url)).status === 200;

/** The first cell view on the page's event stream that `match` accepts. */
async function cellEvent(
  s: Served,
  cookie: string,
  match: (c: Record<string, unknown>) => boolean,
): Promise<Record<string, unknown>> {
  const reader = (await fetch(`${s.base}/api/events`, { headers: { cookie } })).body!.getReader();
  let text = '';
  try {
    for (;;) {
      text += new TextDecoder().decode((await reader.read()).value);
      for (const block of text.split('\n\n')) {
        const event = /^event: (\w+)\ndata: (.*)$/s.exec(block);
        if (!event || (event[1] !== 'cell' && event[1] !== 'cells')) continue;
        let data: unknown;
        try {
          data = JSON.parse(event[2]);
        } catch {
          continue; // the rest of this event has not arrived yet
        }
        const found = (Array.isArray(data) ? data : [data]).find(match) as Record<string, unknown> | undefined;
        if (found) return found;
      }
    }
  } finally {
    await reader.cancel();
  }
}

/** A raw HTTP exchange (what fetch will not send). */
function raw(
  port: number,
  text: string | Buffer,
  o: { more?: () => Buffer | undefined } = {},
): Promise<{ reply: string; closedAfterMs: number }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.on('data', (d) => {
      reply += d;
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve({ reply, closedAfterMs: Date.now() - t0 }));
    socket.write(text);
    const pump = () => {
      const chunk = o.more?.();
      if (!chunk || socket.destroyed) return;
      if (socket.write(chunk)) setImmediate(pump);
      else socket.once('drain', pump);
    };
    pump();
  });
}

test('the page server survives hostile requests and refuses cross-origin writes', { timeout: 300_000 }, async () => {
  const dir = tempDir();
  const file = join(dir, 'nb.ts');
  writeFileSync(file, NOTEBOOK);
  const s = await serve(file);
  const t = await serve(file);
  try {
    // A token of the right length in characters but not in bytes: refused, and the server lives.
    assert.equal((await fetch(`${s.base}/?token=${'a'.repeat(47)}%C3%A9`)).status, 403);
    assert.equal((await fetch(`${s.base}/?token=%FF%FE`)).status, 403);
    assert.ok(await alive(s));
    // A malformed request line and headers: 400, the server lives.
    assert.match((await raw(s.port, 'GARBAGE \x00\x01 HTTP/9\r\n\r\n')).reply, /400/);
    assert.match((await raw(s.port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\n\r\n')).reply, /400/);
    assert.ok(await alive(s));
    // Built-in property names in paths and cell names are unknown names like any other.
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      assert.equal(
        (await fetch(`${s.base}/static/${name}`, { headers: { cookie: (await session(s)).cookie } })).status,
        404,
        name,
      );
    }

    const { cookie, xsrf } = await session(s);
    const define = (o: Partial<Parameters<typeof post>[2]> = {}) =>
      post(s, '/api/define', {
        cookie,
        xsrf,
        origin: s.base,
        body: JSON.stringify({ name: 'a', text: 'export const a = 3;' }),
        ...o,
      });
    // Writes from another port of 127.0.0.1 (the same site: the cookie goes along), as text/plain, without the page's
    // secret: refused.
    assert.equal((await define({ origin: 'http://127.0.0.1:1' })).status, 403, 'another origin');
    assert.equal((await define({ type: 'text/plain' })).status, 415, 'not JSON');
    assert.equal((await define({ xsrf: undefined })).status, 403, 'no secret');
    assert.equal((await define({ xsrf: 'f'.repeat(48) })).status, 403, 'a wrong secret');
    assert.equal((await define({ site: 'cross-site' })).status, 403, 'Sec-Fetch-Site');
    for (const name of ['constructor', '__proto__', 'toString']) {
      const r = await define({ body: JSON.stringify({ name, text: `export const ${name} = 1;` }) });
      assert.equal(r.status, 400, name);
      assert.match((await r.json()).error, new RegExp(`no cell named ${name}`));
    }
    assert.equal((await define()).status, 200, 'the page itself may write');
    // The other writes (input values, runs, lazy mode) are guarded alike and check what they are given.
    for (const path of ['/api/input', '/api/run', '/api/run-stale', '/api/lazy']) {
      assert.equal(
        (await post(s, path, { cookie, origin: s.base, body: '{"name":"a","value":1,"lazy":true}' })).status,
        403,
        `${path} without the secret`,
      );
      assert.equal(
        (await post(s, path, { cookie, xsrf, origin: s.base, type: 'text/plain' })).status,
        415,
        `${path} not JSON`,
      );
      assert.equal(
        (await post(s, path, { cookie, xsrf, origin: 'http://127.0.0.1:1' })).status,
        403,
        `${path} from another origin`,
      );
    }
    const write = async (path: string, body: unknown) => {
      const r = await post(s, path, { cookie, xsrf, origin: s.base, body: JSON.stringify(body) });
      return [r.status, (await r.json()).error];
    };
    assert.deepEqual(await write('/api/input', { name: 'a', value: { x: 1 } }), [
      400,
      'expected {"name": CELL, "value": a number, text or true/false}',
    ]);
    assert.deepEqual(await write('/api/input', { name: 'a', value: 1 }), [
      400,
      'a is not an input cell (declare it with Inputs.range(...), Inputs.select(...), ...)',
    ]);
    assert.deepEqual(await write('/api/input', { name: '__proto__', value: 1 }), [400, 'no cell named __proto__']);
    assert.deepEqual(await write('/api/run', { name: 'nope' }), [400, 'no cell named nope']);
    assert.deepEqual(await write('/api/lazy', { lazy: 'yes' }), [400, 'expected {"lazy": true or false}']);
    assert.ok(await alive(s));

    // Two servers at once: each has its own cookie; the one of one does not open the other, nor break it.
    const other = await session(t);
    assert.notEqual(other.cookie.split('=')[0], cookie.split('=')[0]);
    assert.equal((await fetch(`${t.base}/api/events`, { headers: { cookie } })).status, 403);
    assert.equal(
      (await fetch(`${s.base}/`, { headers: { cookie: `${cookie}; ${other.cookie}` } })).status,
      200,
      'both cookies sent: still the right one',
    );

    // A body past the limit: 413 at once, the connection closed without reading the rest.
    const big = await raw(
      s.port,
      `POST /api/define HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nCookie: ${cookie}\r\n` +
        `Origin: ${s.base}\r\nX-EDNAS-XSRF: ${xsrf}\r\nContent-Type: application/json\r\n` +
        `Content-Length: 600000000\r\n\r\n`,
    );
    assert.match(big.reply, /413/);
    let sent = 0;
    const streamed = await raw(
      s.port,
      `POST /api/define HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nCookie: ${cookie}\r\n` +
        `Origin: ${s.base}\r\nX-EDNAS-XSRF: ${xsrf}\r\nContent-Type: application/json\r\n` +
        `Transfer-Encoding: chunked\r\n\r\n`,
      {
        more: () => (sent++ < 4000 ? Buffer.from(`10000\r\n${'x'.repeat(0x10000)}\r\n`) : undefined),
      },
    );
    assert.ok(
      streamed.reply === '' || /^HTTP\/1\.1 413/.test(streamed.reply),
      `413 or a reset: ${streamed.reply.slice(0, 40)}`,
    );
    assert.ok(sent < 400, `the server closed the connection after ${sent} chunks of 64 KiB`);
    assert.ok(await alive(s));

    // An interrupt while no cell runs (the cells above are quick): said so, nothing restarts.
    const calm = await post(s, '/api/interrupt', { cookie, xsrf, origin: s.base });
    assert.deepEqual(await calm.json(), { ok: true, outcome: 'idle' });

    // A cell that rejects a promise nobody awaits: reported, the server lives. A cell that loops forever:
    // the server still answers; Interrupt holds the cell back and restarts the others.
    assert.equal((await define({ body: JSON.stringify({ name: 'a', text: 'export const a = 5;' }) })).status, 200);
    await new Promise((r) => setTimeout(r, 1000));
    const t0 = Date.now();
    assert.ok(await alive(s), 'answers while a cell loops');
    assert.ok(Date.now() - t0 < 2000);
    const interrupted = await post(s, '/api/interrupt', { cookie, xsrf, origin: s.base });
    assert.deepEqual(await interrupted.json(), { ok: true, outcome: 'restarted' });
    const spin = await cellEvent(s, cookie, (c) => c.name === 'spin' && c.state === 'rejected');
    assert.match(String(spin.error), /stopped: it did not stop within 3 s of the interrupt/);
    assert.match(s.stderr(), /^$/, "nothing on the server's stderr");

    // Save after the file was changed outside: refused, the file untouched, the edits kept beside it.
    writeFileSync(file, NOTEBOOK.replace('export const a = 2;', 'export const a = 2; // edited outside'));
    const saved = await post(s, '/api/save', { cookie, xsrf, origin: s.base });
    assert.equal(saved.status, 400);
    assert.match(
      (await saved.json()).error,
      /was changed outside this page since it was opened; not saved.*kept in .*edited-/,
    );
    assert.match(readFileSync(file, 'utf8'), /edited outside/);
    assert.ok(readdirSync(dir).some((f) => /^nb\.edited-.*\.ts$/.test(f)));
  } finally {
    s.child.kill('SIGINT');
    t.child.kill('SIGINT');
  }
});

test('SIGTERM ends a server whose cell loops forever; a port in use is one clear line', {
  timeout: 120_000,
}, async () => {
  const file = join(tempDir(), 'loop.ts');
  writeFileSync(file, 'export const forever = () => { while (true) {} };\n');
  const s = await serve(file);
  await new Promise((r) => setTimeout(r, 500));
  assert.ok(await alive(s));
  const exited = new Promise<number | null>((r) => s.child.on('exit', (code) => r(code)));
  s.child.kill('SIGTERM');
  const t0 = Date.now();
  assert.equal(await exited, 0);
  assert.ok(Date.now() - t0 < 5000, 'it stopped at once');

  const taken = createServer();
  await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
  const port = (taken.address() as { port: number }).port;
  const r = spawnSync(process.execPath, [bin, 'notebook', file, '--port', String(port)], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  taken.close();
  assert.equal(r.status, 1);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`port ${port} is in use by another program; choose another --port`));
});
