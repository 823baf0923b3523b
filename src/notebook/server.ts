// The notebook page: a local HTTP server that shows every cell with its source in an editor and its live
// output, input cells as controls, and runs edits, new input values and stale cells. It runs code, so it
// is guarded as Jupyter Server guards its API: 127.0.0.1 only and this machine's host names; a random
// token in the URL, then a cookie named for this server alone; state-changing requests only as JSON, from
// the page's own origin, carrying the page's secret (XSRF); bodies cut off at a limit. Cells run in a
// worker (host.ts), so no cell can stop the server answering, and no request, however malformed, can end
// the process. The cells' actions are served from their table (actions.ts). plotly.js comes from
// node_modules; the CodeMirror 6 editor is bundled from them by esbuild (editor-bundle.ts).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import type { AddressInfo } from 'node:net';
import { THEME_SCRIPT } from '../viz/theme.ts';
import type { NotebookHost } from './host.ts';
import { actionNamed, type ActionName } from './actions.ts';
import type { CellView } from './view.ts';
import { pageHtml } from './page-html.ts';
import { editorBundle } from './editor-bundle.ts';

const require = createRequire(import.meta.url);
const page = (file: string) => new URL(`./page/${file}`, import.meta.url);
const STATIC = new Map<string, { path: string | URL; type: string }>([
  ['page.js', { path: page('page.js'), type: 'text/javascript' }],
  ['page.css', { path: page('page.css'), type: 'text/css' }],
  ['plotly.min.js', { path: require.resolve('plotly.js-dist-min/plotly.min.js'), type: 'text/javascript' }],
]);

/** The largest request body taken (an edited cell); past it the connection is closed. */
export const BODY_LIMIT = 1 << 20;

export interface NotebookServer {
  url: string;
  token: string;
  close(): Promise<void>;
}

/** Equal secrets, compared in constant time; any text, however long or whatever its bytes, is only unequal. */
function same(given: string, secret: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(secret, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class PortInUseError extends Error {
  constructor(port: number) {
    super(`port ${port} is in use by another program; choose another --port, or leave it out to take a free one`);
    this.name = 'PortInUseError';
  }
}

export async function startNotebookServer(host: NotebookHost, o: { port?: number } = {}): Promise<NotebookServer> {
  const token = randomBytes(24).toString('hex');
  const xsrf = randomBytes(24).toString('hex');
  // Cookies ignore ports: each server has its own cookie, so two notebooks served at once do not collide.
  const cookieName = `ednas_${randomBytes(6).toString('hex')}`;
  const cookiePattern = new RegExp(`(?:^|;\\s*)${cookieName}=([^;]*)`);
  const clients = new Set<ServerResponse>();
  const send = (event: string, data: unknown) => {
    const text = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const c of clients) c.write(text);
  };
  // Per-cell updates, throttled: a live cell yields often, the page needs a few frames a second.
  const pending = new Map<string, CellView>();
  let flush: NodeJS.Timeout | undefined;
  host.on('cell', (v: CellView) => {
    pending.set(v.name, v);
    if (flush !== undefined) return;
    flush = setTimeout(() => {
      flush = undefined;
      for (const cell of pending.values()) send('cell', cell);
      pending.clear();
      send('idle', { idle: host.idle });
    }, 150);
  });
  host.on('problem', (message: string) => send('problem', { message }));
  host.on('restart', (stopped: string[]) => send('restart', { stopped }));

  const authorised = (req: IncomingMessage, url: URL) => {
    const cookie = cookiePattern.exec(req.headers.cookie ?? '')?.[1];
    const given = url.searchParams.get('token') ?? cookie ?? '';
    return same(given, token);
  };

  /** A state-changing request: JSON, from this page's origin, with the page's secret. */
  function checkWrite(req: IncomingMessage, port: number): void {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json')
      throw new HttpError(415, 'requests that change the notebook must be JSON (Content-Type: application/json)');
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`)
      throw new HttpError(403, `requests from ${origin} may not change this notebook`);
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin')
      throw new HttpError(403, 'requests from other sites may not change this notebook');
    if (!same(String(req.headers['x-ednas-xsrf'] ?? ''), xsrf))
      throw new HttpError(403, "the request lacks this page's secret (X-EDNAS-XSRF); reload the page");
  }

  async function handle(req: IncomingMessage, res: ServerResponse, port: number): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // Only this machine's names: a page elsewhere that rebinds its DNS name to 127.0.0.1 gets nothing.
    const hostName = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (!['127.0.0.1', 'localhost'].includes(hostName)) return reply(res, 403, 'text/plain', 'forbidden host');
    if (url.pathname === '/favicon.ico') return reply(res, 204, 'image/x-icon', '');
    if (!authorised(req, url))
      return reply(
        res,
        403,
        'text/plain',
        'This notebook page needs the token printed by `ednas notebook` (open the full URL it shows).',
      );
    if (req.method === 'GET' && url.pathname === '/') {
      res.setHeader('Set-Cookie', `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`);
      const html = pageHtml({
        title: basename(host.file),
        intro: host.intro,
        lazy: host.lazy,
        assets: '/static/',
        xsrf,
      });
      return reply(res, 200, 'text/html; charset=utf-8', html);
    }
    if (req.method === 'GET' && url.pathname.startsWith('/static/')) {
      const name = url.pathname.slice('/static/'.length);
      if (name === 'theme.js') return reply(res, 200, 'text/javascript', THEME_SCRIPT);
      if (name === 'editor.js') return reply(res, 200, 'text/javascript', editorBundle());
      const asset = STATIC.get(name);
      if (!asset) return reply(res, 404, 'text/plain', 'not found');
      return reply(res, 200, asset.type, readFileSync(asset.path));
    }
    if (req.method === 'GET' && url.pathname === '/api/events') {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-cache',
        Connection: 'keep-alive',
        'X-Content-Type-Options': 'nosniff',
      });
      res.write(`event: cells\ndata: ${JSON.stringify([...host.cells.values()])}\n\n`);
      res.write(`event: idle\ndata: ${JSON.stringify({ idle: host.idle })}\n\n`);
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (req.method === 'POST' && url.pathname.startsWith('/api/')) {
      checkWrite(req, port);
      const payload = await body(req);
      // An action of the table (actions.ts): what the page sent wrong is refused (400) naming what was expected.
      const name = url.pathname.slice('/api/'.length);
      const action = actionNamed(name);
      if (action) {
        const request = action.parse(payload as Record<string, unknown>);
        await host.act(name as ActionName, request as never);
        return reply(res, 200, 'application/json', JSON.stringify({ ok: true, ...action.answer?.(request) }));
      }
      // The host's own controls, not the cells': they need no worker message.
      switch (url.pathname) {
        case '/api/save':
          host.save();
          return reply(res, 200, 'application/json', JSON.stringify({ ok: true, file: host.file }));
        case '/api/interrupt':
          return reply(res, 200, 'application/json', JSON.stringify({ ok: true, outcome: await host.interrupt() }));
        case '/api/restart':
          await host.restart();
          return reply(res, 200, 'application/json', '{"ok":true}');
      }
    }
    reply(res, 404, 'text/plain', 'not found');
  }

  const server = createServer((req, res) => {
    const port = (server.address() as AddressInfo).port;
    handle(req, res, port).catch((e) => {
      const status = e instanceof HttpError ? e.status : 400;
      // Past the body limit the rest is not read: the reply goes out and the connection is closed.
      if (status === 413) {
        res.setHeader('Connection', 'close');
        // A moment for the reply to be read before the socket (with unread data) is reset.
        res.on('finish', () => setTimeout(() => req.destroy(), 200).unref());
      }
      if (!res.headersSent)
        reply(res, status, 'application/json', JSON.stringify({ ok: false, error: (e as Error).message }));
      else res.destroy();
    });
  });
  // A malformed request line or header: answer 400 and drop the connection; never end the process.
  server.on('clientError', (_e, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    socket.destroy();
  });
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      rejectListen(e.code === 'EADDRINUSE' ? new PortInUseError(o.port ?? 0) : e),
    );
    server.listen(o.port ?? 0, '127.0.0.1', resolveListen);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    close: () =>
      new Promise<void>((r) => {
        for (const c of clients) c.end();
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

function reply(res: ServerResponse, status: number, type: string, data: string | Buffer): void {
  res.writeHead(status, { 'Content-Type': type, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' });
  res.end(data);
}

/** The request's JSON body; at most BODY_LIMIT bytes: past it, 413 and the connection is closed. */
function body(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolveBody, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > BODY_LIMIT)
      return reject(new HttpError(413, `request body over ${BODY_LIMIT} bytes`));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > BODY_LIMIT) {
        req.pause();
        reject(new HttpError(413, `request body over ${BODY_LIMIT} bytes`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (size > BODY_LIMIT) return;
      try {
        const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        // Every request takes named fields: null, a list or a bare value is refused here, in words.
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          reject(new HttpError(400, 'the request body must be a JSON object of named fields, e.g. {"name": CELL}'));
        } else {
          resolveBody(value);
        }
      } catch {
        reject(new HttpError(400, 'the request body is not valid JSON'));
      }
    });
    req.on('error', reject);
  });
}
