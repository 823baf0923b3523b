// Whether a run ends as another (a resumed or moved run against an uninterrupted one): the result files the
// same byte for byte, epochs.csv but for the columns that measure the machine.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULT_FILES } from '../../src/rundir/run-dir.ts';

const MACHINE_COLUMNS = ['wall_s', 'images_per_s', 'tensors', 'peak_rss_mb'];

/** epochs.csv without the columns that measure the machine (times, speeds, memory). */
export function epochResults(path: string): string[][] {
  const [head, ...rows] = readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  const keep = head.map((c, k) => (MACHINE_COLUMNS.includes(c) ? -1 : k)).filter((k) => k >= 0);
  return [head, ...rows].map((r) => keep.map((k) => r[k]));
}

/** The results in `dir` are those in `whole` (the manifest, which says when and where, aside). */
export function assertSameResults(dir: string, whole: string, what: string): void {
  for (const f of RESULT_FILES.filter((f) => f !== 'manifest.json' && f !== 'epochs.csv'))
    assert.equal(readFileSync(join(dir, f), 'utf8'), readFileSync(join(whole, f), 'utf8'), `${what}: ${f}`);
  assert.deepEqual(
    epochResults(join(dir, 'epochs.csv')),
    epochResults(join(whole, 'epochs.csv')),
    `${what}: epochs.csv`,
  );
}
