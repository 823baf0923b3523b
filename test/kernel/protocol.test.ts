// jupyter_kernel_test (Project Jupyter's protocol checks, vendored in vendor/) against the EDNAS kernel:
// kernel_tests.py subclasses its KernelTests with TypeScript samples; every message is validated against
// the messaging spec's schemas. Nothing may be skipped: each check has its sample.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { jupyterSkip, kernelEnvironment, PYTHON } from '../helpers/jupyter.ts';

test('jupyter_kernel_test passes on the EDNAS kernel, nothing skipped', { skip: jupyterSkip() }, async () => {
  const env = await kernelEnvironment();
  const here = fileURLToPath(new URL('.', import.meta.url));
  const p = spawnSync(PYTHON, ['-m', 'unittest', '-v', 'kernel_tests'], {
    env,
    cwd: here,
    encoding: 'utf8',
    timeout: 600_000,
  });
  assert.equal(p.status, 0, p.stderr.slice(-6000));
  assert.match(p.stderr, /\nOK\n/);
  assert.doesNotMatch(p.stderr, /skipped/i, p.stderr);
  const ran = Number(/Ran (\d+) tests/.exec(p.stderr)?.[1]);
  assert.ok(ran >= 14, `ran ${ran} tests`);
});
