// What the library asks of the platform, under Node (a page's answers are browser.ts; package.json's
// "imports" maps '#host' to this file, and to browser.ts under a bundler's 'browser' condition).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { parentPort as nodeParentPort, Worker as NodeWorker } from 'node:worker_threads';

/** The bytes of simd/kernels.wasm, our SIMD kernels (read from the file beside their sources). */
export const simdKernelsWasm = (): Uint8Array => readFileSync(new URL('../simd/kernels.wasm', import.meta.url));

/** Cores this process may compute on. */
export const cores = (): number => availableParallelism();

/** True where training may spread a batch over worker threads, each with its own tfjs. */
export const hasWorkerThreads = true;

/** A training thread (Node's worker_threads.Worker). */
export const Worker = NodeWorker;
export type Worker = NodeWorker;

/** This thread's port to the thread that started it (undefined on the main thread). */
export const parentPort = nodeParentPort;

const require = createRequire(import.meta.url);

/** The text of an installed package's file (`setter`: how a browser page supplies it instead). */
export const packageText = (file: string, _setter: string): string => readFileSync(require.resolve(file), 'utf8');
