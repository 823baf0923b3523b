// The committed kernels.wasm and kernels-shared.wasm are what src/backend/simd/build.sh makes of the kernel
// sources beside them with Debian's clang and lld, each links to the heap it is for, and every source exports
// kernels that simd.ts declares.
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

test('kernels.wasm and kernels-shared.wasm are built from the kernel sources: rebuilding gives the committed bytes', {
  skip,
}, () => {
  const dir = tempDir();
  const r = spawnSync('bash', [join(SIMD, 'build.sh'), dir], { encoding: 'utf8' });
  assert.equal(r.status, 0, `build.sh failed: ${r.stderr}`);
  for (const file of ['kernels.wasm', 'kernels-shared.wasm']) {
    assert.ok(
      readFileSync(join(dir, file)).equals(readFileSync(join(SIMD, file))),
      `${file} differs from what build.sh makes of the sources: run ` +
        'src/backend/simd/build.sh and commit kernels.wasm and kernels-shared.wasm with the sources',
    );
  }
});

test("kernels-shared.wasm links to a shared heap of tfjs' threaded size, kernels.wasm to an unshared one", () => {
  const module = (file: string) => new WebAssembly.Module(readFileSync(join(SIMD, file)));
  const memory = (shared: boolean) => new WebAssembly.Memory({ initial: 1, maximum: 65536, shared });
  new WebAssembly.Instance(module('kernels-shared.wasm'), { env: { memory: memory(true) } });
  new WebAssembly.Instance(module('kernels.wasm'), { env: { memory: memory(false) } });
  assert.throws(() => new WebAssembly.Instance(module('kernels.wasm'), { env: { memory: memory(true) } }));
  const exports = (file: string) => WebAssembly.Module.exports(module(file)).map((e) => `${e.kind} ${e.name}`);
  assert.deepEqual(exports('kernels-shared.wasm'), exports('kernels.wasm'), 'both builds export the same kernels');
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
  for (const n of exported.keys())
    assert.match(declared, new RegExp(`^  ${n}: '`, 'm'), `simd.ts' SIGNATURES declares no ${n}`);
});
