// Dawn's "artificially reduced" limit warnings (printed by native code while it enumerates the adapters,
// on Mesa's lavapipe) never reach stderr; the adapter is still found and described, other lines pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dropDawnWarnings } from '../../src/backend/dawn-warnings.ts';
import { tempDir } from '../helpers/fixtures.ts';
import { noWebGpu } from '../helpers/webgpu.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

test('the lowered-limit warnings are dropped, with their location lines; every other line is kept', () => {
  const fit = 'to fit dynamic offset allocation limit.';
  const text =
    'before\n' +
    `Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced from 1000000 to 16 ${fit}\n` +
    '    at Init (/dawn/src/dawn/native/vulkan/PhysicalDeviceVk.cpp:123)\n' +
    `Warning: maxDynamicStorageBuffersPerPipelineLayout artificially reduced from 1000000 to 16 ${fit}\n` +
    "Warning: Couldn't load Vulkan\n    at operator() (BackendVk.cpp:368)\nafter\n";
  const kept = "before\nWarning: Couldn't load Vulkan\n    at operator() (BackendVk.cpp:368)\nafter\n";
  assert.equal(dropDawnWarnings(text), kept);
});

const SCRIPT =
  "import { webGpuAdapter, describeAdapter } from './src/backend/webgpu.ts';\n" +
  "console.error('before');\nconst { adapter } = await webGpuAdapter();\nconsole.error('after');\n" +
  'console.log(adapter ? describeAdapter(adapter) : "none");\n';
const NODE = [process.execPath, '--import', 'tsx', '--input-type=module', '-e', SCRIPT];

test('requesting the adapter prints no Dawn warning into a log or a shell pipe; the adapter is described', {
  skip: noWebGpu,
}, () => {
  // A log that stdout and stderr share, opened for appending, as an experiment's trial writes its own.
  const log = join(tempDir(), 'trial.log');
  const fd = openSync(log, 'a');
  const r = spawnSync(NODE[0], NODE.slice(1), { cwd: ROOT, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  assert.equal(r.status, 0, readFileSync(log, 'utf8'));
  assert.match(readFileSync(log, 'utf8'), /^before\nafter\n.*\((software|hardware)\)\n$/);
  const quoted = NODE.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  // ednas doctor, written to a log: the adapter listed, no warning.
  const doctorLog = join(tempDir(), 'doctor.log');
  const out = openSync(doctorLog, 'a');
  spawnSync(process.execPath, [join(ROOT, 'bin/ednas.js'), 'doctor'], { cwd: ROOT, stdio: ['ignore', out, out] });
  closeSync(out);
  const doctor = readFileSync(doctorLog, 'utf8');
  assert.match(doctor, /\] WebGPU +.*\((software|hardware)\)/);
  assert.doesNotMatch(doctor, /artificially reduced/);
  // A shell's log that both streams share, not appending (`> log 2>&1`): nothing lost or overwritten.
  const shellLog = join(tempDir(), 'shell.log');
  const shell = spawnSync('sh', ['-c', `${quoted} > '${shellLog}' 2>&1; echo done >> '${shellLog}'`], { cwd: ROOT });
  assert.equal(shell.status, 0);
  assert.match(readFileSync(shellLog, 'utf8'), /^before\nafter\n.*\((software|hardware)\)\ndone\n$/);
  // A terminal user's pipe: `ednas ... 2>&1 | less`.
  const piped = spawnSync('sh', ['-c', `${quoted} 2>&1 | cat`], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(piped.status, 0);
  assert.match(piped.stdout, /^before\nafter\n.*\((software|hardware)\)\n$/);
});
