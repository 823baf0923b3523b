// Debian's classic Jupyter Notebook server (6.4) on 127.0.0.1 with the EDNAS kernelspec, for front-end
// tests in Chromium. In CI a missing server is an error.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { PYTHON, kernelEnvironment } from '../helpers/jupyter.ts';
import { tempDir } from '../helpers/fixtures.ts';
import { freePort } from '../helpers/ports.ts';

export const hasNotebookServer = (): boolean =>
  spawnSync(PYTHON, ['-c', 'import notebook'], { stdio: 'ignore' }).status === 0;

export function notebookServerSkip(): string | undefined {
  if (hasNotebookServer()) return undefined;
  if (process.env.CI) throw new Error('the Jupyter Notebook server is missing: apt-get install jupyter-notebook');
  return 'needs the Jupyter Notebook server (apt-get install jupyter-notebook)';
}

export interface NotebookServer {
  url: string;
  dir: string;
  /** The Jupyter data folder it reads (JUPYTER_PATH): kernelspecs, nbextensions it serves as static files. */
  data: string;
  kernel: string;
  stop(): void;
}

/** A server with no token on a free port, serving a fresh folder; resolves once it answers. */
export async function startNotebookServer(): Promise<NotebookServer> {
  const env = await kernelEnvironment();
  const dir = tempDir('ednas-nb-');
  const port = await freePort();
  const child: ChildProcess = spawn(
    PYTHON,
    [
      '-m',
      'notebook',
      '--no-browser',
      '--ip=127.0.0.1',
      `--port=${port}`,
      '--NotebookApp.token=',
      '--NotebookApp.password=',
      `--notebook-dir=${dir}`,
      '--NotebookApp.disable_check_xsrf=True',
      ...(process.getuid?.() === 0 ? ['--allow-root'] : []),
    ],
    {
      env: { ...env, JUPYTER_CONFIG_DIR: tempDir('ednas-nbconf-'), JUPYTER_RUNTIME_DIR: tempDir('ednas-nbrt-') },
      stdio: 'ignore',
    },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`the notebook server exited with ${child.exitCode}`);
    if (
      await fetch(`${url}/api`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { url, dir, data: env.JUPYTER_PATH!, kernel: env.EDNAS_KERNEL!, stop: () => child.kill('SIGTERM') };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGTERM');
  throw new Error('the notebook server did not answer within 20 s');
}
