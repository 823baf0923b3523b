// The kernel under what clumsy or hostile clients send, over the real protocol (drive_hardening.py with
// jupyter_client and nbclient), and the kernelspec commands under hostile names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jupyterSkip, kernelEnvironment, PYTHON } from '../helpers/jupyter.ts';
import { tempDir } from '../helpers/fixtures.ts';
import { installKernel, KernelNameError, uninstallKernel } from '../../kernel/install.ts';

type Run = { reply: Record<string, any>; iopub: [string, Record<string, any>][] };
const of = (r: Run, type: string) => r.iopub.filter(([t]) => t === type).map(([, c]) => c);
const bin = fileURLToPath(new URL('../../bin/ednas.js', import.meta.url));

test('bad signatures go to the kernel log, bursts arrive whole, input() asks the front end, any HMAC scheme, ' +
  'user_expressions and history as ipykernel', {
  skip: jupyterSkip(),
  timeout: 600_000,
}, async () => {
  const env = await kernelEnvironment('ednas-hardening');
  const driver = fileURLToPath(new URL('./drive_hardening.py', import.meta.url));
  const log = join(tempDir(), 'kernel.log');
  const p = spawnSync(PYTHON, [driver, env.EDNAS_KERNEL!, log], {
    env,
    cwd: tempDir(),
    encoding: 'utf8',
    timeout: 600_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  assert.equal(p.status, 0, `signal ${p.signal}: ${p.stderr}`);
  const d = JSON.parse(p.stdout);

  const after = d.after_bad_signature as Run;
  assert.deepEqual(
    of(after, 'stream'),
    [{ name: 'stdout', text: 'after\n' }],
    'nothing of the bad message in the cell',
  );
  assert.equal(of(after, 'execute_result')[0].data['text/plain'], '2');
  assert.match(readFileSync(log, 'utf8'), /bad signature ignored/);
  assert.doesNotMatch(readFileSync(log, 'utf8'), /intruder/);

  assert.equal(d.burst_lines, 20000, 'jupyter_client received every line');
  assert.ok(d.burst_messages < 200, `coalesced into ${d.burst_messages} stream messages`);
  assert.equal(d.nbclient_burst_lines, 20000, 'nbclient received every line');

  assert.deepEqual(d.input_requests, [
    { prompt: 'name? ', password: false },
    { prompt: 'secret? ', password: true },
  ]);
  assert.equal(of(d.input, 'execute_result')[0].data['text/plain'], "'hello world 5'");
  assert.equal(d.input_refused.reply.status, 'error');
  assert.equal(d.input_refused.reply.ename, 'StdinNotImplementedError');
  assert.match(d.input_refused.reply.evalue, /allow_stdin false/);

  assert.equal(of(d.sha512, 'execute_result')[0].data['text/plain'], '42');

  assert.deepEqual(d.user_expressions.user_expressions.double, {
    status: 'ok',
    data: { 'text/plain': '10' },
    metadata: {},
  });
  assert.equal(d.user_expressions.user_expressions.broken.status, 'error');
  assert.equal(d.history_output.status, 'ok');
  // (session, line, [input, output]): the output is the result's text, none for a cell without one.
  const tail = d.history_output.history as [number, number, [string, string | null]][];
  assert.deepEqual(
    tail.map(([session, , [, output]]) => [session, output]),
    [
      [1, "'hello world 5'"],
      [1, null],
      [1, null],
    ],
  );
  assert.deepEqual(
    tail.map(([, , [input]]) => input.split('\n')[0]),
    ["import { input } from 'ednas';", "await input('name? ')", 'const q = 5;'],
  );
  const search = d.history_unique.history as [number, number, string][];
  assert.deepEqual(
    search.map((h) => h[2]),
    ['q + 1'],
    'unique: one entry for two runs',
  );
  assert.deepEqual(
    d.history_range.history.map((h: [number, number, string]) => h[1]),
    [1, 2],
  );
  assert.deepEqual(d.comm_info, { status: 'ok', comms: {} });
});

test('a connection file with a signature scheme the kernel cannot compute is refused in one clear line', () => {
  const dir = tempDir();
  const conn = join(dir, 'kernel.json');
  writeFileSync(
    conn,
    JSON.stringify({
      transport: 'tcp',
      ip: '127.0.0.1',
      key: 'k',
      signature_scheme: 'hmac-nonsense',
      shell_port: 0,
      iopub_port: 0,
      stdin_port: 0,
      control_port: 0,
      hb_port: 0,
    }),
  );
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('../../kernel/main.ts', import.meta.url)), conn],
    { encoding: 'utf8', timeout: 120_000 },
  );
  assert.equal(r.status, 1);
  assert.match(r.stderr, /signature_scheme "hmac-nonsense" is not one this kernel can compute; use hmac-sha256/);
});

test('kernelspec names are checked as Jupyter does: no path escapes on install or uninstall', async () => {
  const prefix = tempDir();
  const victim = join(prefix, 'share', 'victim');
  mkdirSync(victim, { recursive: true });
  writeFileSync(join(victim, 'kernel.json'), '{}');
  for (const name of ['../..', '..', '../victim', 'a/b', '', 'x'.repeat(65), '.']) {
    await assert.rejects(installKernel({ prefix, name }), KernelNameError, `install --name ${JSON.stringify(name)}`);
    assert.throws(() => uninstallKernel({ prefix, name }), KernelNameError, `uninstall --name ${JSON.stringify(name)}`);
  }
  // As the command says it: exit status 2 and the rule.
  for (const [verb, name] of [
    ['install', '../..'],
    ['uninstall', '../victim'],
  ]) {
    const r = spawnSync(process.execPath, [bin, 'kernel', verb, '--prefix', prefix, '--name', name], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(r.status, 2, `${verb} --name ${JSON.stringify(name)}: ${r.stderr}`);
    assert.match(r.stderr, /is not a kernelspec name: use letters, digits/);
  }
  assert.ok(existsSync(join(victim, 'kernel.json')), 'nothing outside the kernels folder was touched');
  assert.ok(!existsSync(join(prefix, 'share', 'jupyter', 'kernel.json')));
});
