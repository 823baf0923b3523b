// A real redis-server (Debian's package) for the queue tests: on 127.0.0.1 only, on a free port, in a
// temporary folder, nothing saved; stopped when the test file ends. And what sockets processes listen on.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { freePort } from './ports.ts';
import { after } from 'node:test';

export const hasRedisServer = (): boolean => spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

export interface RedisServer {
  port: number;
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** `args`: more of redis-server's options (`--requirepass PW`, say). */
export async function startRedis(dir: string, args: string[] = []): Promise<RedisServer> {
  const port = await freePort();
  const options = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--protected-mode',
    'yes',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
  ];
  const child = spawn('redis-server', [...options, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const started = Date.now();
  while (!/Ready to accept connections/.test(out)) {
    if (child.exitCode !== null || Date.now() - started > 15_000) throw new Error(`redis-server did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  after(stop);
  return { port, url: `redis://127.0.0.1:${port}`, process: child, stop };
}

/** Runs `f` while the server is paused (SIGSTOP: its connections stay open, nothing answers); it answers after. */
export async function whileRedisPaused<T>(redis: RedisServer, f: () => Promise<T>): Promise<T> {
  redis.process.kill('SIGSTOP');
  try {
    return await f();
  } finally {
    redis.process.kill('SIGCONT');
  }
}

/** The addresses ("127.0.0.1:6379", "[::]:80") the processes `pids` listen on with TCP. */
export function listeningAddresses(pids: number[]): string[] {
  const inodes = new Set<string>();
  for (const pid of pids) {
    const fds = `/proc/${pid}/fd`;
    if (!existsSync(fds)) continue;
    for (const fd of readdirSync(fds)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`${fds}/${fd}`));
        if (m) inodes.add(m[1]);
      } catch {
        // closed meanwhile
      }
    }
  }
  const out: string[] = [];
  for (const [table, v6] of [
    ['/proc/net/tcp', false],
    ['/proc/net/tcp6', true],
  ] as const) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== '0A' || !inodes.has(f[9])) continue; // 0A: LISTEN
      const [hex, portHex] = f[1].split(':');
      const port = parseInt(portHex, 16);
      const address = v6
        ? /^0+$/.test(hex)
          ? '[::]'
          : hex === '00000000000000000000000001000000'
            ? '[::1]'
            : `[${hex}]`
        : hex
            .match(/../g)!
            .reverse()
            .map((b) => parseInt(b, 16))
            .join('.');
      out.push(`${address}:${port}`);
    }
  }
  return out;
}
