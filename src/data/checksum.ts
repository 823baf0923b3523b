// Checksums of data files: recorded in run manifests so a result names the exact data it came from.
import { createHash } from 'node:crypto';

export const bytesHash = (bytes: Uint8Array, algorithm: 'sha256' | 'md5' = 'sha256'): string =>
  createHash(algorithm).update(bytes).digest('hex');
