// The committed kernels.wasm is what src/backend/simd/build.sh makes of the kernel sources beside it with
// Debian's clang and lld, and every source exports kernels that simd.ts declares.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/fixtures.ts';

const SIMD = new URL('../../src/backend/simd/', import.meta.url).pathname;
const hasClang =
  spawnSync('clang', ['--version'], { stdio: 'ignore' }).status === 0 &&
  spawnSync('wasm-ld', ['--version'], { stdio: 'ignore' }).status === 0;
const skip = !hasClang && !process.env.CI && 'clang and lld are not installed (apt-get install clang lld)';

test('kernels.wasm is built from the kernel sources: rebuilding gives the committed bytes', { skip }, () => {
  const out = join(tempDir(), 'kernels.wasm');
  const r = spawnSync('bash', [join(SIMD, 'build.sh'), out], { encoding: 'utf8' });
  assert.equal(r.status, 0, `build.sh failed: ${r.stderr}`);
  const built = readFileSync(out);
  const committed = readFileSync(join(SIMD, 'kernels.wasm'));
  assert.ok(
    built.equals(committed),
    'kernels.wasm differs from what build.sh makes of the sources: run ' +
      'src/backend/simd/build.sh and commit kernels.wasm with the sources',
  );
});

test('each kernel source exports its kernels, and simd.ts declares every export of kernels.wasm', () => {
  const sources = readdirSync(SIMD).filter((f) => f.endsWith('.c'));
  const exported = new Map<string, string>();
  for (const file of sources) {
    const names = [...readFileSync(join(SIMD, file), 'utf8').matchAll(/EXPORT\((\w+)\)/g)].map((m) => m[1]);
    assert.ok(names.length > 0, `${file} exports no kernel`);
    for (const n of names) {
      assert.ok(!exported.has(n), `${n} is exported by ${exported.get(n)} and ${file}`);
      exported.set(n, file);
    }
  }
  const module = new WebAssembly.Module(readFileSync(join(SIMD, 'kernels.wasm')));
  const inWasm = WebAssembly.Module.exports(module)
    .map((e) => e.name)
    .filter((n) => n !== '__stack_pointer');
  assert.deepEqual(inWasm.sort(), [...exported.keys()].sort(), "kernels.wasm exports exactly the sources' kernels");
  const declared = readFileSync(join(SIMD, 'simd.ts'), 'utf8');
  for (const n of exported.keys()) assert.match(declared, new RegExp(`\\b${n}\\(`), `simd.ts declares no ${n}`);
});
