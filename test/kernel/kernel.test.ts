// The kernel over the Jupyter protocol, driven by jupyter_client (drive_kernel.py): replies, IOPub
// messages, errors that keep state, completion, interrupts (a training cell, an awaiting cell, a loop after an
// await), restart and shutdown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { jupyterSkip, kernelEnvironment, PYTHON } from '../helpers/jupyter.ts';
import { tempDir } from '../helpers/fixtures.ts';

type Run = { reply: Record<string, unknown>; iopub: [string, Record<string, unknown>][] };
const of = (r: Run, type: string) => r.iopub.filter(([t]) => t === type).map(([, c]) => c);

test('the EDNAS kernel follows the Jupyter messaging protocol', { skip: jupyterSkip() }, async (t) => {
  const env = await kernelEnvironment();
  const driver = fileURLToPath(new URL('./drive_kernel.py', import.meta.url));
  const p = spawnSync(PYTHON, [driver, env.EDNAS_KERNEL!], {
    env,
    cwd: tempDir(),
    encoding: 'utf8',
    timeout: 600_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  assert.equal(p.status, 0, `signal ${p.signal}: ${p.stderr}`);
  const d = JSON.parse(p.stdout) as Record<string, Run & Record<string, unknown>>;

  const info = d.kernel_info as unknown as Record<string, any>;
  assert.equal(info.status, 'ok');
  assert.equal(info.protocol_version, '5.3');
  assert.equal(info.language_info.name, 'typescript');
  assert.equal(info.language_info.file_extension, '.ts');
  // The notebook's type checker is the project's TypeScript, and the kernel says so.
  assert.equal(
    info.language_info.version,
    JSON.parse(readFileSync(new URL('../../node_modules/typescript/package.json', import.meta.url), 'utf8')).version,
  );

  assert.deepEqual(of(d.define, 'stream'), [{ name: 'stdout', text: 'defined x\n' }]);
  assert.equal(of(d.define, 'execute_input')[0].execution_count, 1);
  assert.deepEqual(of(d.value, 'execute_result')[0], {
    execution_count: 2,
    data: { 'text/plain': '42' },
    metadata: {},
  });
  assert.equal(of(d.value, 'stream').length, 0, 'the value is a result, not stdout');

  // A runtime error: error reply with ename/evalue/traceback, an error message on IOPub, state kept.
  assert.equal(d.runtime_error.reply.status, 'error');
  assert.equal(d.runtime_error.reply.ename, 'RangeError');
  assert.equal(d.runtime_error.reply.evalue, 'boom 41');
  assert.ok((d.runtime_error.reply.traceback as string[]).length > 0);
  assert.equal(of(d.runtime_error, 'error')[0].ename, 'RangeError');
  assert.equal(
    of(d.after_runtime_error, 'execute_result')[0].data &&
      (of(d.after_runtime_error, 'execute_result')[0].data as any)['text/plain'],
    '82',
  );
  // A TypeScript type error is a failing cell too, and the kernel keeps its state.
  assert.equal(d.type_error.reply.status, 'error');
  assert.equal(d.type_error.reply.ename, 'TypeScriptError');
  assert.match(String(d.type_error.reply.evalue), /Type 'number' is not assignable to type 'string'/);
  assert.equal((of(d.after_type_error, 'execute_result')[0].data as any)['text/plain'], "'x is 41'");
  // As ipykernel: a cell aborted after an error replies 'aborted' with no execution count.
  const [failed, aborted] = d.aborted as unknown as Record<string, unknown>[];
  assert.equal(failed.status, 'error');
  assert.deepEqual(aborted, { status: 'aborted' });
  assert.deepEqual(of(d.stderr, 'stream'), [{ name: 'stderr', text: 'to stderr\n' }]);

  // The library imports as 'ednas'; rich values come with rich MIME types.
  assert.equal((of(d.import, 'execute_result')[0].data as any)['text/plain'], '7');
  const fig = of(d.figure, 'execute_result')[0].data as Record<string, any>;
  assert.equal(fig['application/vnd.plotly.v1+json'].data.length, 3, 'reward, baseline, entropy traces');
  assert.match(fig['text/html'], /Plotly\.newPlot/);
  assert.match(fig['text/plain'], /plotly figure/);
  assert.match((of(d.rnn_genotype, 'execute_result')[0].data as any)['image/svg+xml'], /^<svg[\s\S]*sigmoid/);

  const complete = d.complete as unknown as Record<string, any>;
  assert.equal(complete.status, 'ok');
  assert.ok(complete.matches.includes('RnnSearch'), JSON.stringify(complete.matches));
  assert.equal(complete.cursor_start, 'ednas.'.length);
  assert.match(
    (d.inspect as any).data['text/plain'],
    new RegExp(
      String.raw`function sampleChild\(policy: (ednas\.)?Policy, rng: (ednas\.)?Rng\): (ednas\.)?Child\n` +
        String.raw`[\s\S]*A child of the normal and reduction cells`,
    ),
  );
  assert.equal((d.is_complete_open as any).status, 'incomplete');
  assert.equal((d.is_complete_done as any).status, 'complete');
  assert.equal((d.history as any).status, 'ok');
  assert.equal((d.history as any).history.length, 3);

  // Interrupted while training: a KeyboardInterrupt error after live progress, and the objects still work.
  assert.equal(d.interrupted.reply.ename, 'KeyboardInterrupt');
  assert.ok(of(d.interrupted, 'display_data').length === 1, 'one live progress output');
  assert.equal((of(d.after_interrupt, 'execute_result')[0].data as any)['text/plain'], '[ true, true, true, 0 ]');
  // An awaiting cell and a loop after an await stop within 1 s of the interrupt request, at their line.
  for (const [r, line] of [
    [d.awaiting, /----> 2 await new Promise/],
    [d.busy_after_await, /----> 4 while \(true\) turns\+\+;/],
  ] as const) {
    t.diagnostic(`interrupt request to error: ${Math.round(r.ms as number)} ms`);
    assert.equal(r.reply.ename, 'KeyboardInterrupt');
    assert.match((r.reply.traceback as string[]).join('\n').replace(/\x1b\[[\d;]*m/g, ''), line);
    assert.ok((r.ms as number) < 1000, `interrupted in ${r.ms} ms`);
  }
  assert.equal((of(d.after_busy, 'execute_result')[0].data as any)['text/plain'], 'true');
  assert.equal(d.silent.iopub.filter(([t]) => t !== 'status').length, 0, 'a silent request broadcasts nothing');
  assert.equal(
    (of(d.after_restart, 'execute_result')[0].data as any)['text/plain'],
    'true',
    'a restart starts from a clean state',
  );
  assert.deepEqual(d.shutdown, { status: 'ok', restart: false });
  assert.equal(d.alive_after_shutdown, false);
});
