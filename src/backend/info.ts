// What a backend choice reports, on every platform: the names, the BackendInfo that `ednas doctor`, a run's
// manifest and a page show, and the error of a backend that cannot load. Node's choice is select.ts, a
// browser's select-browser.ts.
import type { WebGpuAdapter } from './webgpu.ts';

export const BACKENDS = ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface BackendInfo {
  name: BackendName;
  /** npm package that provides it. */
  package: string;
  version: string;
  /** Threads the backend computes with. */
  threads: number;
  /** True when EDNAS_BACKEND (or an explicit request) chose it. */
  forced: boolean;
  /** Why each preferred backend before it was not used. */
  skipped: { name: BackendName; reason: string }[];
  /** The GPU adapter (webgpu only). */
  adapter?: WebGpuAdapter;
  /** Whether wasm runs its SIMD build (a browser's wasm). */
  simd?: boolean;
  /** Why it runs as it does, in one line (a browser's adapter, or wasm's threads and SIMD). */
  note?: string;
}

export class BackendUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}

export function parseBackendName(value: string, source = 'EDNAS_BACKEND'): BackendName {
  if ((BACKENDS as readonly string[]).includes(value)) return value as BackendName;
  throw new BackendUnavailableError(
    `${source}=${value} is not a backend. Use one of: ${BACKENDS.join(', ')} (or leave it unset to pick the fastest).`,
  );
}
