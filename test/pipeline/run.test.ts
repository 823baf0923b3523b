// The main job (runPipeline; `npm start` = `ednas run`) end to end on the bundled sample, reduced to a few steps,
// started as users start it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/fixtures.ts';

const bin = new URL('../../bin/ednas.js', import.meta.url).pathname;

test('ednas run: split, search, derive, evaluate and a self-contained report, with the headline numbers', () => {
  const out = join(tempDir(), 'run');
  const r = spawnSync(
    process.execPath,
    [bin, 'run', '--out', out, '--search-epochs', '2', '--eval-epochs', '1', '--limit', '320'],
    { encoding: 'utf8', timeout: 600_000 },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /split 256 weight \/ 64 policy/);
  assert.match(r.stdout, /derived genotype: Genotype\(normal=\[/);
  assert.match(r.stdout, /report: .*report\.html/);
  assert.match(
    r.stdout,
    /mean reward [\d.]+ -> [\d.]+, entropy [\d.]+ -> [\d.]+; derived cell: test accuracy [\d.]+ with \d+ parameters/,
  );
  for (const f of [
    'manifest.json',
    'report.html',
    'search/genotype.json',
    'search/epochs.csv',
    'search/policy.json',
    'evaluate/epochs.csv',
    'evaluate/model/model.json',
  ]) {
    assert.ok(existsSync(join(out, f)), f);
  }
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.match(html, /<script>[\s\S]*Plotly/);
  assert.equal((html.match(/Plotly\.newPlot/g) ?? []).length, 10);
  assert.equal((html.match(/<svg [^>]*aria-label="(normal|reduce) cell"/g) ?? []).length, 2);
  assert.doesNotMatch(html, /<script src=/, 'self-contained');
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  assert.equal(manifest.kind, 'pipeline');
  assert.ok(manifest.result.test_acc >= 0 && manifest.result.test_acc <= 1);

  // The report regenerates from the run directory's files alone, for the whole run and for each part.
  for (const [dir, figures] of [
    [out, 10],
    [join(out, 'search'), 9],
    [join(out, 'evaluate'), 1],
  ] as const) {
    const file = join(tempDir(), 'r.html');
    const rep = spawnSync(process.execPath, [bin, 'report', dir, '--out', file], { encoding: 'utf8' });
    assert.equal(rep.status, 0, rep.stderr);
    const again = readFileSync(file, 'utf8');
    assert.equal((again.match(/Plotly\.newPlot/g) ?? []).length, figures, dir);
    assert.match(again, /data checksums \(sha256\)/);
  }
  assert.match(
    spawnSync(process.execPath, [bin, 'report', tempDir()], { encoding: 'utf8' }).stderr,
    /is not a run directory \(no manifest\.json\)/,
  );
});
