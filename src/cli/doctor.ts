// `ednas doctor`: what this machine can run, and what to install for each missing piece.
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { initBackend, NATIVE_HELP, type BackendInfo } from '../backend/select.ts';
import { describeAdapter, webGpuAdapter, WEBGPU_HELP } from '../backend/webgpu.ts';
import { OPS } from '../space/ops.ts';
import { defaultWorkers, simdSupported } from '../backend/device.ts';
import { commandWorkers } from './workers.ts';
import { VERSION } from '../version.ts';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  /** What to do when it is missing. */
  fix?: string;
  /** A failed required check means the project cannot run. */
  required: boolean;
}

function run(cmd: string, args: string[]): string | undefined {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 }).trim();
  } catch {
    return undefined;
  }
}

function which(names: string[]): string | undefined {
  for (const n of names) {
    const p = run('sh', ['-c', `command -v ${n}`]);
    if (p) return p;
  }
  return undefined;
}

/** One tiny training step of a dilated op, the path that needs this project's kernels and gradient. */
async function trainSmoke(): Promise<string> {
  // Read asynchronously: the webgpu backend has no synchronous read under Node.
  const finite = tf.tidy(() => {
    const cfg = { C: 4, stride: 1 as const, affine: false, poolBatchNorm: true };
    const op = OPS.dil_conv_5x5;
    const shapes = Object.values(op.weightShapes(cfg));
    const x = tf.randomNormal([2, 8, 8, 4]) as tf.Tensor4D;
    const f = (...ws: tf.Tensor[]) => tf.sum(op.forward(x, { dw: ws[0], pw: ws[1] }, cfg));
    const grads = tf.grads(f)(shapes.map((s) => tf.randomNormal(s)));
    return tf.stack(grads.map((g) => tf.all(tf.isFinite(g))));
  });
  const ok = Array.from(await finite.data()).every((v) => v === 1);
  finite.dispose();
  if (!ok) throw new Error('gradients are not finite');
  return 'gradient of dil_conv_5x5 computed';
}

/** Worker threads: how many a batch of 64 is spread over here (EDNAS_WORKERS, else the cores). */
function workersCheck(): Check {
  try {
    const w = commandWorkers(undefined) ?? defaultWorkers(64);
    const source = process.env.EDNAS_WORKERS ? 'EDNAS_WORKERS' : `${os.availableParallelism()} cores`;
    return {
      name: 'worker threads',
      ok: true,
      detail:
        `${w} (${source}): each batch is split over ${w} TensorFlow.js instance${w > 1 ? 's' : ''}; ` +
        '--workers N on any training command sets it',
      required: false,
    };
  } catch (e) {
    return {
      name: 'worker threads',
      ok: false,
      detail: (e as Error).message,
      fix: 'Set EDNAS_WORKERS to a whole number, or unset it.',
      required: false,
    };
  }
}

export async function runChecks(): Promise<{ checks: Check[]; backend?: BackendInfo }> {
  const checks: Check[] = [];
  const major = Number(process.versions.node.split('.')[0]);
  checks.push({
    name: 'node',
    ok: major >= 20,
    detail: process.version,
    fix: 'Install Node.js 20 or newer.',
    required: true,
  });

  let backend: BackendInfo | undefined;
  try {
    backend = await initBackend();
    const detail =
      `${backend.name} (${backend.package} ${backend.version}, ${backend.threads} ` +
      `thread${backend.threads > 1 ? 's' : ''}` +
      `${backend.forced ? ', forced by EDNAS_BACKEND' : ''}); tfjs ${tf.version.tfjs}`;
    checks.push({ name: 'backend', ok: true, detail, required: true });
    checks.push({ name: 'training', ok: true, detail: await trainSmoke(), required: true });
    if (backend.name === 'wasm') {
      checks.push(
        simdSupported()
          ? {
              name: 'SIMD kernels',
              ok: true,
              detail: 'kernels.wasm loaded into the wasm heap (batch norm, gradients, SGD)',
              required: false,
            }
          : {
              name: 'SIMD kernels',
              ok: false,
              detail: 'this Node.js cannot run wasm SIMD; training uses slower tfjs ops',
              fix: 'Use Node.js 20 or newer.',
              required: false,
            },
      );
      checks.push(workersCheck());
    }
  } catch (e) {
    checks.push({
      name: 'backend',
      ok: false,
      detail: (e as Error).message,
      fix: 'See environment.md.',
      required: true,
    });
  }
  if (backend?.name !== 'tensorflow') {
    const why = backend?.skipped.find((s) => s.name === 'tensorflow')?.reason ?? 'not selected';
    checks.push({ name: 'native TensorFlow', ok: false, detail: why, fix: NATIVE_HELP, required: false });
  }

  // WebGPU: the adapter Dawn finds (a Vulkan driver), software or hardware, and the limits that bound a batch.
  const { adapter, reason } = await webGpuAdapter();
  if (adapter) {
    const { maxBufferSize, maxStorageBufferBindingSize } = adapter.limits;
    const mib = (n: number) => `${Math.round(n / 2 ** 20)} MiB`;
    const use =
      backend?.name === 'webgpu'
        ? 'in use'
        : adapter.software
          ? 'EDNAS_BACKEND=webgpu uses it (slower than wasm)'
          : 'not selected';
    checks.push({
      name: 'WebGPU',
      ok: true,
      required: false,
      detail:
        `${describeAdapter(adapter)}; maxBufferSize ${mib(maxBufferSize)}, ` +
        `maxStorageBufferBindingSize ${mib(maxStorageBufferBindingSize)}; ${use}`,
    });
  } else {
    checks.push({
      name: 'WebGPU',
      ok: false,
      detail: reason ?? 'no adapter',
      required: false,
      fix: reason?.includes('npm install') ? undefined : WEBGPU_HELP.replace(/^No WebGPU adapter: /, ''),
    });
  }

  const gpu = run('nvidia-smi', ['--query-gpu=name,driver_version', '--format=csv,noheader']);
  checks.push(
    gpu
      ? {
          name: 'GPU',
          ok: true,
          detail: gpu.split('\n').join('; '),
          required: false,
          fix:
            backend?.package === '@tensorflow/tfjs-node-gpu' || backend?.name === 'webgpu'
              ? undefined
              : 'The webgpu backend uses it through its Vulkan driver (see the WebGPU line), or install ' +
                '@tensorflow/tfjs-node-gpu (environment.md).',
        }
      : {
          name: 'GPU',
          ok: false,
          detail: existsSync('/dev/nvidia0') ? 'device present but nvidia-smi failed' : 'no NVIDIA GPU found',
          fix:
            'Optional: any GPU with a Vulkan driver through the webgpu backend, or an NVIDIA GPU with CUDA 11.2 ' +
            'and cuDNN 8.1 plus @tensorflow/tfjs-node-gpu (environment.md).',
          required: false,
        },
  );

  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const jupyter = run(python, [
    '-c',
    'import jupyter_client, nbclient; print(jupyter_client.__version__, nbclient.__version__)',
  ]);
  checks.push(
    jupyter
      ? {
          name: 'Jupyter',
          ok: true,
          detail: `jupyter_client ${jupyter.replace(' ', ', nbclient ')} (${python})`,
          required: false,
        }
      : {
          name: 'Jupyter',
          ok: false,
          detail: `jupyter_client/nbclient not importable by ${python}`,
          fix:
            'apt-get install jupyter-client python3-nbclient jupyter-nbconvert jupyter-notebook, or pip install ' +
            'jupyterlab nbclient',
          required: false,
        },
  );
  const spec = jupyter
    ? run(python, [
        '-c',
        "from jupyter_client.kernelspec import find_kernel_specs; print(find_kernel_specs().get('ednas', ''))",
      ])
    : undefined;
  checks.push(
    spec
      ? { name: 'Jupyter kernel', ok: true, detail: `EDNAS (TypeScript) installed in ${spec}`, required: false }
      : {
          name: 'Jupyter kernel',
          ok: false,
          detail: 'the kernelspec "ednas" is not installed',
          fix: 'npx ednas kernel install',
          required: false,
        },
  );

  const chromium = which(['chromium', 'chromium-browser', 'google-chrome']);
  checks.push(
    chromium
      ? { name: 'Chromium', ok: true, detail: run(chromium, ['--version']) ?? chromium, required: false }
      : {
          name: 'Chromium',
          ok: false,
          detail: 'not found',
          fix: 'apt-get install chromium (used to view and test the notebook page and reports)',
          required: false,
        },
  );

  checks.push({
    name: 'cpus',
    ok: true,
    detail: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    required: false,
  });
  return { checks, backend };
}

export async function doctor(): Promise<number> {
  const { checks } = await runChecks();
  console.log(`ednas ${VERSION} doctor`);
  for (const c of checks) {
    const mark = c.ok ? 'ok  ' : c.required ? 'FAIL' : 'warn';
    console.log(`  [${mark}] ${c.name.padEnd(18)} ${c.detail}`);
    if (!c.ok && c.fix) console.log(`         ${' '.repeat(18)} -> ${c.fix}`);
  }
  const failed = checks.filter((c) => c.required && !c.ok);
  console.log(
    failed.length ? `\nThe project cannot run: fix ${failed.map((c) => c.name).join(', ')}.` : '\nThe project can run.',
  );
  return failed.length ? 1 : 0;
}
