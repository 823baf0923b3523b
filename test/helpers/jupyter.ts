// Jupyter for tests: Debian's Python with jupyter_client and nbclient, and the EDNAS kernelspec installed
// into a temporary prefix (so tests never touch the user's Jupyter). In CI a missing Jupyter is an error.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { installKernel } from '../../kernel/install.ts';
import { buildTypes } from '../../kernel/types.ts';
import { tempDir } from './fixtures.ts';

export const PYTHON = '/usr/bin/python3';

export const hasJupyter = (): boolean =>
  spawnSync(PYTHON, ['-c', 'import jupyter_client, nbclient, nbformat'], { stdio: 'ignore' }).status === 0;

/** Why Jupyter tests cannot run here, or undefined; in CI they must run. */
export function jupyterSkip(): string | undefined {
  if (hasJupyter()) return undefined;
  if (process.env.CI)
    throw new Error(
      `Jupyter is missing: ${PYTHON} cannot import jupyter_client/nbclient. Install jupyter-client python3-nbclient ` +
        `jupyter-nbconvert (apt-get).`,
    );
  return (
    'needs Debian python3 with jupyter_client and nbclient (apt-get install jupyter-client python3-nbclient ' +
    'jupyter-nbconvert)'
  );
}

/** Installs the kernelspec under a temporary prefix; returns the environment that makes Jupyter find it. */
export async function kernelEnvironment(name = 'ednas-test'): Promise<NodeJS.ProcessEnv> {
  const prefix = tempDir('ednas-jupyter-');
  buildTypes();
  await installKernel({ prefix, name });
  return { ...process.env, JUPYTER_PATH: join(prefix, 'share', 'jupyter'), EDNAS_KERNEL: name };
}
