// The notebook page: a local HTTP server (127.0.0.1 only; a random token in the URL, as Jupyter does,
// since the page runs code) that shows every cell with its source in an editor and its live output.
// Editing a cell and pressing Shift+Enter redefines it on the server; dependents update on the page
// through server-sent events. plotly.js and CodeMirror are served from node_modules: no network.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import type { AddressInfo } from 'node:net';
import { isFigure, mimeBundle } from '../display/mime.ts';
import { THEME_SCRIPT } from '../viz/theme.ts';
import type { CellStatus, NotebookSession } from './session.ts';
import { escapeHtml } from '../viz/html.ts';

const require = createRequire(import.meta.url);
const page = (file: string) => new URL(`./page/${file}`, import.meta.url);
const STATIC: Record<string, { path: string | URL; type: string }> = {
  'page.js': { path: page('page.js'), type: 'text/javascript' },
  'page.css': { path: page('page.css'), type: 'text/css' },
  'plotly.min.js': { path: require.resolve('plotly.js-dist-min/plotly.min.js'), type: 'text/javascript' },
  'codemirror.js': { path: require.resolve('codemirror/lib/codemirror.js'), type: 'text/javascript' },
  'codemirror.css': { path: require.resolve('codemirror/lib/codemirror.css'), type: 'text/css' },
  'javascript.js': { path: require.resolve('codemirror/mode/javascript/javascript.js'), type: 'text/javascript' },
};

/** What the page shows of a cell: figures as plotly data (drawn and redrawn in place), the rest as MIME. */
export function cellView(c: CellStatus) {
  const value = c.state === 'fulfilled' ? c.value : undefined;
  let output: Record<string, unknown> | undefined;
  if (c.state === 'fulfilled') output = isFigure(value) ? { plotly: value, 'text/plain': '' } : mimeBundle(value);
  return {
    name: c.name, inputs: c.source.inputs, text: c.source.text, prose: c.source.prose, cache: c.source.cache,
    state: c.state, live: c.live, runs: c.runs, cached: c.cache, error: c.error, output,
  };
}

export interface NotebookServer {
  url: string;
  token: string;
  close(): Promise<void>;
}

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export async function startNotebookServer(session: NotebookSession, o: { port?: number } = {}): Promise<NotebookServer> {
  const token = randomBytes(24).toString('hex');
  const clients = new Set<ServerResponse>();
  const send = (event: string, data: unknown) => {
    const text = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const c of clients) c.write(text);
  };
  // Per-cell updates, throttled: a live cell yields often, the page needs a few frames a second.
  const pending = new Map<string, CellStatus>();
  let flush: NodeJS.Timeout | undefined;
  session.on('change', (c: CellStatus) => {
    pending.set(c.name, c);
    flush ??= setTimeout(() => {
      flush = undefined;
      for (const cell of pending.values()) send('cell', cellView(cell));
      pending.clear();
      send('idle', { idle: session.idle });
    }, 150);
  });

  const authorised = (req: IncomingMessage, url: URL) => {
    const cookie = /(?:^|;\s*)ednas_token=([0-9a-f]+)/.exec(req.headers.cookie ?? '')?.[1];
    const given = url.searchParams.get('token') ?? cookie ?? '';
    return same(given, token);
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // Only this machine's names: a page elsewhere that rebinds its DNS name to 127.0.0.1 gets nothing.
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (!['127.0.0.1', 'localhost'].includes(host)) return reply(res, 403, 'text/plain', 'forbidden host');
    if (url.pathname === '/favicon.ico') return reply(res, 204, 'image/x-icon', '');
    if (!authorised(req, url)) return reply(res, 403, 'text/plain', 'This notebook page needs the token printed by `ednas notebook` (open the full URL it shows).');
    try {
      if (req.method === 'GET' && url.pathname === '/') {
        res.setHeader('Set-Cookie', `ednas_token=${token}; HttpOnly; SameSite=Strict; Path=/`);
        return reply(res, 200, 'text/html; charset=utf-8', pageHtml(basename(session.file), session.intro));
      }
      if (req.method === 'GET' && url.pathname.startsWith('/static/')) {
        if (url.pathname === '/static/theme.js') return reply(res, 200, 'text/javascript', THEME_SCRIPT);
        const asset = STATIC[url.pathname.slice(8)];
        if (!asset) return reply(res, 404, 'text/plain', 'not found');
        return reply(res, 200, asset.type, readFileSync(asset.path));
      }
      if (req.method === 'GET' && url.pathname === '/api/events') {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
        res.write(`event: cells\ndata: ${JSON.stringify([...session.cells.values()].map(cellView))}\n\n`);
        res.write(`event: idle\ndata: ${JSON.stringify({ idle: session.idle })}\n\n`);
        clients.add(res);
        req.on('close', () => clients.delete(res));
        return;
      }
      if (req.method === 'POST' && url.pathname === '/api/define') {
        const { name, text } = JSON.parse(await body(req)) as { name: string; text: string };
        session.redefine(name, text);
        return reply(res, 200, 'application/json', '{"ok":true}');
      }
      if (req.method === 'POST' && url.pathname === '/api/save') {
        session.save();
        return reply(res, 200, 'application/json', JSON.stringify({ ok: true, file: session.file }));
      }
      reply(res, 404, 'text/plain', 'not found');
    } catch (e) {
      reply(res, 400, 'application/json', JSON.stringify({ ok: false, error: (e as Error).message }));
    }
  });
  await new Promise<void>((r) => server.listen(o.port ?? 0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    close: () => new Promise<void>((r) => {
      for (const c of clients) c.end();
      server.close(() => r());
    }),
  };
}

function reply(res: ServerResponse, status: number, type: string, data: string | Buffer): void {
  res.writeHead(status, { 'Content-Type': type, 'X-Content-Type-Options': 'nosniff' });
  res.end(data);
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    let data = '';
    req.on('data', (c) => { data += c; if (data.length > 1e6) reject(new Error('request too large')); });
    req.on('end', () => resolveBody(data));
    req.on('error', reject);
  });
}


function pageHtml(title: string, intro: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)} · EDNAS notebook</title>
<link rel="stylesheet" href="/static/codemirror.css"><link rel="stylesheet" href="/static/page.css">
<script src="/static/plotly.min.js"></script><script src="/static/theme.js"></script><script src="/static/codemirror.js"></script><script src="/static/javascript.js"></script>
</head><body data-idle="false"><header><h1>${escapeHtml(title)}</h1><span id="status">connecting</span><button id="save" title="Ctrl+S">Save to file</button></header>
<main><section id="intro" data-markdown="${escapeHtml(intro)}"></section><div id="cells"></div></main>
<script src="/static/page.js"></script></body></html>`;
}
