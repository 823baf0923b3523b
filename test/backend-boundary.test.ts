// backend/ is the only place that knows which device runs: no file of src/ outside it reads the chosen
// backend or reaches past src/backend/device.ts into its kernels or its SIMD module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = new URL('../src/', import.meta.url).pathname;

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.(ts|js)$/.test(e.name) ? [join(dir, e.name)] : [],
  );

/** Ways to read which backend runs, or to reach its internals. */
const READS: { what: string; pattern: RegExp }[] = [
  { what: 'reads the backend', pattern: /\bgetBackend\s*\(/ },
  { what: 'reads the backend', pattern: /\bbackendName\b/ },
  { what: 'reads the backend', pattern: /\b(tf|tfjs)\.backend\s*\(/ },
  { what: 'reads the backend', pattern: /\bfindBackend\s*\(/ },
  { what: 'imports a kernel', pattern: /from\s+['"][^'"]*backend\/kernels\// },
  { what: 'imports the SIMD module', pattern: /from\s+['"][^'"]*backend\/simd\// },
];

/** Every such read outside src/backend/, as `src/file:line what`. */
export function backendReads(root = SRC): string[] {
  const out: string[] = [];
  for (const file of files(root)) {
    const path = relative(root, file);
    if (path.startsWith('backend/')) continue;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, k) => {
        for (const r of READS) if (r.pattern.test(line)) out.push(`src/${path}:${k + 1} ${r.what}: ${line.trim()}`);
      });
  }
  return out;
}

test('only src/backend/ reads the chosen backend or imports its kernels and SIMD module', () => {
  const fix = 'ask src/backend/device.ts or use an operation of src/backend/ops.ts instead';
  assert.deepEqual(backendReads(), [], fix);
});
