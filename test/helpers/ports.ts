// TCP ports for the servers tests start (Redis, the Jupyter Notebook server) on 127.0.0.1.
import { createServer } from 'node:net';

/** A port nothing listens on now (the kernel's pick, closed again). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
