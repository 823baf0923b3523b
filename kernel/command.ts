// `ednas kernel install|uninstall`: registers the EDNAS TypeScript kernel with Jupyter (JupyterLab,
// Notebook, nbclient/nbconvert). Installing Jupyter itself is the user's (see environment.md). The
// `ednas` command (bin/ednas.js) adds this subcommand to the library's CLI, which knows nothing of kernel/.
import { checkKernelName, installKernel, kernelsDir, uninstallKernel, KERNEL_NAME } from './install.ts';
import { buildTypes } from './types.ts';
import { parseOptions, UsageError } from '../src/cli/args.ts';

export const KERNEL_HELP = `Usage: ednas kernel install [--user | --prefix P] [--name N]
       ednas kernel uninstall [--user | --prefix P] [--name N]

install    writes the kernelspec "EDNAS (TypeScript)" (kernel.json and logos) so Jupyter can start the
           kernel; notebooks then import the library with: import { ... } from 'ednas'
uninstall  removes it

  --user      the per-user folder (default unless root; JUPYTER_DATA_DIR is honoured)
  --prefix P  P/share/jupyter/kernels (a virtualenv, conda env or test folder)
  --name N    kernelspec name (default ${KERNEL_NAME})`;

export async function kernelCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions('kernel', argv, {
    user: { type: 'boolean' },
    prefix: { type: 'string' },
    name: { type: 'string' },
  });
  if (values.help) {
    console.log(KERNEL_HELP);
    return 0;
  }
  if (values.user && values.prefix) throw new UsageError('give --user or --prefix, not both');
  if (values.name !== undefined) {
    try {
      checkKernelName(values.name);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  const place = { user: values.user, prefix: values.prefix, name: values.name };
  if (positionals[0] === 'install' && positionals.length === 1) {
    // The notebook type checker reads the library's declarations; building them now spares the first start.
    buildTypes();
    const dir = await installKernel(place);
    console.log(`installed kernelspec ${values.name ?? KERNEL_NAME} in ${dir}`);
    return 0;
  }
  if (positionals[0] === 'uninstall' && positionals.length === 1) {
    const dir = uninstallKernel(place);
    if (!dir) throw new UsageError(`no ${values.name ?? KERNEL_NAME} kernelspec in ${kernelsDir(place)}`);
    console.log(`removed ${dir}`);
    return 0;
  }
  throw new UsageError(`expected 'install' or 'uninstall'. Run 'ednas kernel --help'.`);
}
