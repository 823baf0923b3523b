// The EDNAS Jupyter kernel: `node --import tsx kernel/main.ts CONNECTION_FILE`, started by Jupyter from the
// kernelspec that `ednas kernel install` writes.
import { resolveEdnas } from './resolve.ts';
import { buildTypes } from './types.ts';
import { KernelServer } from './server.ts';

const connectionFile = process.argv[2];
if (!connectionFile) {
  console.error('usage: kernel/main.ts CONNECTION_FILE (Jupyter starts the kernel; see `ednas kernel install`)');
  process.exit(2);
}
buildTypes();
resolveEdnas(process.cwd());
// A rejected promise the cell did not await (a training loop stopped by an interrupt after its cell was
// abandoned) must not end the kernel.
process.on('unhandledRejection', (reason) => {
  if ((reason as Error)?.name !== 'AbortError') process.stderr.write(`Unhandled rejection: ${(reason as Error)?.stack ?? reason}\n`);
});
await new KernelServer(connectionFile).start();
