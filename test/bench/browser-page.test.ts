// The page of `npm run bench -- browser` bundles for the browser (what the bench serves to Chromium).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as esbuild from 'esbuild';
import { pageBundle } from '../../bench/browser.ts';

test("the browser bench's page bundles with esbuild for the browser", async () => {
  const r = await esbuild.build({ ...pageBundle('/nonexistent/page.js'), write: false, metafile: true });
  assert.deepEqual(r.errors, []);
  const js = r.outputFiles!.find((f) => f.path.endsWith('page.js'))!;
  assert.ok(js.contents.length > 1e6, `a ${js.contents.length}-byte bundle cannot hold tfjs and the library`);
  assert.ok(r.metafile!.inputs['src/browser.ts'] && r.metafile!.inputs['src/backend/simd/kernels.wasm']);
});
