// `ednas search --help` and `ednas evaluate --help` list every setting of every task, a group's members
// one by one, each with its type or range and its default (or that it is unset by default).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { TASKS } from '../../src/tasks/tasks.ts';
import type { Schema } from '../../src/train/settings.ts';

const bin = new URL('../../bin/ednas.js', import.meta.url).pathname;

/** Every setting's name as --set takes it (group.member for a group's members). */
const names = (schema: Schema): string[] =>
  Object.entries(schema).flatMap(([k, s]) =>
    s.kind === 'group' ? Object.keys(s.fields).map((m) => `${k}.${m}`) : [k],
  );

for (const kind of ['search', 'evaluate'] as const) {
  test(`ednas ${kind} --help lists every setting with its type, range and default`, () => {
    const r = spawnSync(process.execPath, [bin, kind, '--help'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    for (const task of Object.values(TASKS)) {
      const block = r.stdout.split(`Settings (--set KEY=VALUE; ${task.title};`)[1]?.split('\n\n')[0];
      assert.ok(block, `no settings block for ${task.title}`);
      for (const name of names(task.schemas[kind])) {
        const line = block.split('\n').find((l) => l.trim().split(/\s+/)[0] === name);
        assert.ok(line, `${task.name} ${kind}: ${name} is not listed`);
        assert.match(line, /^ +\S+ +\S.*; (default .+|unset by default)/, line);
      }
    }
  });
}
