// The EDNAS Jupyter kernel: `node --import tsx kernel/main.ts CONNECTION_FILE`, started by Jupyter from the
// kernelspec that `ednas kernel install` writes.
import { resolveEdnas } from './resolve.ts';
import { buildTypes } from './types.ts';
import { KernelServer, kernelLog } from './server.ts';

const connectionFile = process.argv[2];
if (!connectionFile) {
  console.error('usage: kernel/main.ts CONNECTION_FILE (Jupyter starts the kernel; see `ednas kernel install`)');
  process.exit(2);
}
buildTypes();
resolveEdnas();
// A rejected promise the cell did not await (a training loop stopped by an interrupt after its cell was
// abandoned) must not end the kernel.
process.on('unhandledRejection', (reason) => {
  if ((reason as Error)?.name !== 'AbortError') kernelLog(`unhandled rejection: ${(reason as Error)?.stack ?? reason}`);
});
let server: KernelServer;
try {
  server = new KernelServer(connectionFile);
} catch (e) {
  console.error(`ednas kernel: ${(e as Error).message}`);
  process.exit(1);
}
await server.start();
