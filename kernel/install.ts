// The kernelspec "EDNAS (TypeScript)": kernel.json (how Jupyter starts the kernel), logos and plotly.min.js
// (which figure outputs load from the Jupyter server), written where
// Jupyter looks: the user's data folder, a prefix's share/jupyter/kernels, or the system folder as root.
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { PROJECT_ROOT } from './types.ts';

const require = createRequire(import.meta.url);
export const KERNEL_NAME = 'ednas';
export const DISPLAY_NAME = 'EDNAS (TypeScript)';

export interface KernelPlace {
  user?: boolean;
  prefix?: string;
  name?: string;
}

export class KernelNameError extends Error {
  constructor(name: string) {
    super(
      `'${name}' is not a kernelspec name: use letters, digits, '.', '_' and '-' (as Jupyter requires), ` +
        'not only dots, at most 64 characters',
    );
    this.name = 'KernelNameError';
  }
}

/** A kernelspec name as jupyter_client accepts it ([a-z0-9._-]+); never a path, never '.' or '..'. */
export function checkKernelName(name: string): string {
  if (!/^[a-z0-9._-]{1,64}$/i.test(name) || /^\.+$/.test(name)) throw new KernelNameError(name);
  return name;
}

/** Jupyter's data folder for kernelspecs, as jupyter_core computes it. */
export function kernelsDir(o: KernelPlace): string {
  if (o.prefix) return join(o.prefix, 'share', 'jupyter', 'kernels');
  const asRoot = process.getuid?.() === 0;
  if (o.user || !asRoot) {
    const data =
      process.env.JUPYTER_DATA_DIR ??
      (process.platform === 'darwin'
        ? join(homedir(), 'Library', 'Jupyter')
        : join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'jupyter'));
    return join(data, 'kernels');
  }
  return '/usr/local/share/jupyter/kernels';
}

const LOGO_SVG =
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#1f3a93"/>` +
  `<g stroke="#ffd166" stroke-width="3"><line x1="14" y1="20" x2="32" y2="14"/>` +
  `<line x1="14" y1="44" x2="32" y2="32"/><line x1="32" y1="14" x2="50" y2="32"/>` +
  `<line x1="32" y1="32" x2="50" y2="32"/><line x1="32" y1="14" x2="32" y2="32"/></g>` +
  `<g fill="#fff"><circle cx="14" cy="20" r="5"/><circle cx="14" cy="44" r="5"/>` +
  `<circle cx="32" cy="14" r="5"/><circle cx="32" cy="32" r="5"/><circle cx="50" cy="32" r="6"/></g>` +
  `<text x="32" y="58" font-family="sans-serif" font-size="11" font-weight="bold" fill="#fff" ` +
  `text-anchor="middle">EDNAS</text></svg>`;

export function kernelSpec() {
  const tsx = fileURLToPath(import.meta.resolve('tsx'));
  return {
    argv: [process.execPath, '--import', tsx, join(PROJECT_ROOT, 'kernel', 'main.ts'), '{connection_file}'],
    display_name: DISPLAY_NAME,
    language: 'typescript',
    interrupt_mode: 'signal',
    env: { NODE_OPTIONS: '--disable-warning=ExperimentalWarning' },
    metadata: { debugger: false, ednas: { project: PROJECT_ROOT } },
  };
}

/** Writes the kernelspec; returns its folder. */
export async function installKernel(o: KernelPlace = {}): Promise<string> {
  const dir = join(kernelsDir(o), checkKernelName(o.name ?? KERNEL_NAME));
  mkdirSync(dir, { recursive: true });
  const spec = kernelSpec();
  if (o.name) spec.display_name = `${DISPLAY_NAME} [${o.name}]`;
  // Figures load plotly.js from here (the server serves it at /kernelspecs/NAME/plotly.min.js), once a page.
  (spec.env as Record<string, string>).EDNAS_KERNEL_NAME = o.name ?? KERNEL_NAME;
  copyFileSync(require.resolve('plotly.js-dist-min/plotly.min.js'), join(dir, 'plotly.min.js'));
  writeFileSync(join(dir, 'kernel.json'), `${JSON.stringify(spec, null, 2)}\n`);
  writeFileSync(join(dir, 'logo-svg.svg'), LOGO_SVG);
  const sharp = require('sharp');
  for (const size of [32, 64])
    await sharp(Buffer.from(LOGO_SVG))
      .resize(size, size)
      .png()
      .toFile(join(dir, `logo-${size}x${size}.png`));
  return dir;
}

/** Removes the kernelspec; returns its folder, or undefined when none was installed there. */
export function uninstallKernel(o: KernelPlace = {}): string | undefined {
  const dir = join(kernelsDir(o), checkKernelName(o.name ?? KERNEL_NAME));
  if (!existsSync(join(dir, 'kernel.json'))) return undefined;
  rmSync(dir, { recursive: true, force: true });
  return dir;
}
