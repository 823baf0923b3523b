// No line over 120 characters in the TypeScript of src/, kernel/, test/ and bench/: Biome formats to 120 columns but
// leaves long strings and comments as they are. A folder biome.jsonc leaves out ("!folder") is left out here too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAX = 120;

/** "file:line (n characters)" for each line of `text` longer than MAX characters (code points, not bytes). */
function longLines(file: string, text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    const n = [...line].length;
    if (n > MAX) out.push(`${file}:${i + 1} (${n} characters)`);
  });
  return out;
}

/** The folders biome.jsonc excludes with "!folder" (its comments are whole lines). */
function excludedFolders(): string[] {
  const text = readFileSync(join(ROOT, 'biome.jsonc'), 'utf8').replace(/^\s*\/\/.*$/gm, '');
  const includes: string[] = JSON.parse(text).files.includes;
  return includes.filter((p) => p.startsWith('!') && !p.includes('*')).map((p) => `${p.slice(1)}/`);
}

test('the line check counts characters, not bytes, and names the file and line', () => {
  assert.deepEqual(longLines('a.ts', `${'←'.repeat(MAX)}\nok`), []);
  assert.deepEqual(longLines('a.ts', `ok\n${'x'.repeat(MAX + 1)}`), ['a.ts:2 (121 characters)']);
});

test('no tracked .ts file under src/, kernel/, test/ or bench/ has a line over 120 characters', () => {
  const tracked = execFileSync('git', ['ls-files', '-z', '--', 'src', 'kernel', 'test', 'bench'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((f) => f.endsWith('.ts'));
  assert.ok(tracked.length > 100, `git ls-files found only ${tracked.length} .ts files`);
  const excluded = excludedFolders();
  const long = tracked
    .filter((f) => !excluded.some((folder) => f.startsWith(folder)))
    .flatMap((f) => longLines(f, readFileSync(join(ROOT, f), 'utf8')));
  assert.deepEqual(long, [], 'wrap strings with + pieces and rewrap comments');
});
