// Atomic downloads: the body streams into `<dest>.partial`, is verified, then renamed. Any failure removes
// the partial file, so a crash or a bad network never leaves a half-written file that looks complete.
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataError } from './errors.ts';

export interface DownloadOptions {
  /** Expected digest of the whole file; a mismatch is an error and nothing is kept. */
  checksum?: { algorithm: 'md5' | 'sha256'; hex: string };
  onProgress?: (received: number, total: number | undefined) => void;
  signal?: AbortSignal;
  /** What to tell the user to do by hand when the download cannot happen. */
  manualHelp: string;
}

export async function download(url: string, dest: string, options: DownloadOptions): Promise<void> {
  const partial = `${dest}.partial`;
  mkdirSync(dirname(dest), { recursive: true });
  try {
    let response: Response;
    try {
      response = await fetch(url, { signal: options.signal });
    } catch (e) {
      throw new DataError(`could not download ${url}: ${networkReason(e)}. ${options.manualHelp}`);
    }
    if (!response.ok || !response.body) {
      throw new DataError(
        `could not download ${url}: the server ` +
          `answered ${response.status} ${response.statusText}. ${options.manualHelp}`,
      );
    }
    const total = Number(response.headers.get('content-length')) || undefined;
    const hash = options.checksum ? createHash(options.checksum.algorithm) : undefined;
    let received = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        received += chunk.length;
        hash?.update(chunk);
        options.onProgress?.(received, total);
        done(null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(response.body as never), meter, createWriteStream(partial), {
        signal: options.signal,
      });
    } catch (e) {
      throw new DataError(
        `download of ${url} broke off after ${received} bytes: ${networkReason(e)}. Run the command ` +
          `again. ${options.manualHelp}`,
      );
    }
    if (total !== undefined && received !== total) {
      throw new DataError(`download of ${url} ended after ${received} of ${total} bytes. Run the command again.`);
    }
    if (hash && options.checksum) {
      const got = hash.digest('hex');
      if (got !== options.checksum.hex) {
        throw new DataError(
          `download of ${url} has ${options.checksum.algorithm} ${got}, expected ${options.checksum.hex}: ` +
            'the file is corrupt or not the expected one. Nothing was kept; run the command again or use another ' +
            'mirror (--url).',
        );
      }
    }
    renameSync(partial, dest);
  } finally {
    rmSync(partial, { force: true });
  }
}

function networkReason(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'AbortError') return 'cancelled';
  const code = err.cause?.code ?? (err as NodeJS.ErrnoException).code;
  const known: Record<string, string> = {
    ENOTFOUND: 'the host name does not resolve (no network or no DNS)',
    EAI_AGAIN: 'the host name does not resolve (no network or no DNS)',
    ECONNREFUSED: 'the connection was refused',
    ECONNRESET: 'the connection was reset',
    ETIMEDOUT: 'the connection timed out',
    ENETUNREACH: 'the network is unreachable',
  };
  return (code && known[code]) ?? err.cause?.message ?? err.message;
}
