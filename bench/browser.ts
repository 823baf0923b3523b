// The weight step of one supernet child in a browser, beside Node's: bundles bench/browser-page.ts as a
// live export bundles the library (esbuild, platform 'browser'), serves it from 127.0.0.1, opens it in
// Chromium (playwright-core) once per backend, and measures Node's wasm in a child process (bench supernet).
//   npm run bench -- browser [--backend webgpu,wasm] [--channels 8] [--layers 5] [--batch 32] [--size 32]
//                            [--steps 10] [--warmup 20] [--no-node] [--chromium /usr/bin/chromium]
// Prints one JSON line per backend in the browser, and one for Node's wasm (W=1) with the same settings.
// Headless Chromium's WebGPU adapter here is SwiftShader (a CPU rasteriser): a correctness path, not a speed.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { STEP_OPTIONS } from './child-steps.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const CHROMIUM_ARGS = ['--no-sandbox', '--headless', '--enable-unsafe-webgpu', '--use-angle=swiftshader'];

/** esbuild's options for the bench page: the library as a browser bundle, kernels.wasm inlined. */
export const pageBundle = (outfile: string): esbuild.BuildOptions => ({
  entryPoints: [join(ROOT, 'bench', 'browser-page.ts')],
  bundle: true,
  platform: 'browser',
  format: 'esm',
  loader: { '.wasm': 'binary' },
  outfile,
  logLevel: 'silent',
});

/** The page's folder: index.html, the bundle, tfjs' .wasm files and the genotype. */
export async function buildPage(genotype: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'ednas-bench-browser-'));
  await esbuild.build(pageBundle(join(dir, 'page.js')));
  const wasm = join(ROOT, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
  for (const f of readdirSync(wasm).filter((n) => n.endsWith('.wasm'))) copyFileSync(join(wasm, f), join(dir, f));
  copyFileSync(genotype, join(dir, 'darts_v2.json'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><script type="module" src="page.js"></script>',
  );
  return dir;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/** A static server of `dir` on 127.0.0.1 (cross-origin isolated with `isolate`, so wasm may use threads). */
export function serve(dir: string, isolate: boolean): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^\/+/, '');
    const file = path || 'index.html';
    try {
      const body = readFileSync(join(dir, file));
      const headers: Record<string, string> = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' };
      if (isolate) {
        headers['cross-origin-opener-policy'] = 'same-origin';
        headers['cross-origin-embedder-policy'] = 'require-corp';
      }
      res.writeHead(200, headers).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address() as { port: number };
      ok({ server, url: `http://127.0.0.1:${a.port}/` });
    }),
  );
}

export async function benchBrowser(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      genotype: { type: 'string', default: join(ROOT, 'data', 'genotypes', 'darts_v2.json') },
      backend: { type: 'string', default: 'webgpu,wasm' },
      ...STEP_OPTIONS,
      chromium: { type: 'string', default: '/usr/bin/chromium' },
      'no-node': { type: 'boolean' },
      'no-isolate': { type: 'boolean' },
    },
  });
  const settings = { C: values.channels, L: values.layers, B: values.batch, S: values.size };
  const timing = { steps: values.steps, warmup: values.warmup };
  const dir = await buildPage(String(values.genotype));
  const { server, url } = await serve(dir, !values['no-isolate']);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: values.chromium, args: CHROMIUM_ARGS });
  try {
    for (const backend of String(values.backend).split(',')) {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const q = new URLSearchParams({ backend, ...settings, ...timing } as Record<string, string>);
      await page.goto(`${url}?${q}`);
      await page.waitForFunction(() => 'benchRow' in globalThis || 'benchError' in globalThis, null, {
        timeout: 600_000,
      });
      const { row, error } = await page.evaluate(() => {
        const g = globalThis as { benchRow?: object; benchError?: string };
        return { row: g.benchRow, error: g.benchError };
      });
      const where = { C: +settings.C!, L: +settings.L!, B: +settings.B!, browser: browser.version() };
      console.log(JSON.stringify(row ? { ...row, ...where } : { backend, error: error ?? errors.join('; ') }));
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  if (values['no-node']) return;
  // Node's wasm at one worker, same child and settings, in its own process (bench supernet's own measure).
  const node = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'bench', 'main.ts'),
      'supernet',
      '--one',
      '--backend',
      'wasm',
      '--workers',
      '1',
      '--channels',
      String(settings.C),
      '--layers',
      String(settings.L),
      '--batch',
      String(settings.B),
      '--size',
      String(settings.S),
      '--steps',
      String(timing.steps),
      '--warmup',
      String(timing.warmup),
      '--genotype',
      String(values.genotype),
    ],
    { encoding: 'utf8', cwd: ROOT },
  );
  const last = node.stdout.trim().split('\n').pop();
  console.log(
    last && node.status === 0
      ? JSON.stringify({ ...JSON.parse(last), where: 'node' })
      : JSON.stringify({ where: 'node', error: node.stderr.trim().split('\n').pop() }),
  );
}
