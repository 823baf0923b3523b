// What the library asks of the platform, under Node (a page's answers are browser.ts; package.json's
// "imports" maps '#host' to this file, and to browser.ts under a bundler's 'browser' condition).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { inspect } from 'node:util';
import { parentPort as nodeParentPort, Worker as NodeWorker } from 'node:worker_threads';

/** The bytes of our SIMD kernels (read from the file beside their sources): simd/kernels.wasm, or with `shared`
 * simd/kernels-shared.wasm, linked against a shared memory (tfjs' threaded heap). */
export const simdKernelsWasm = (shared: boolean): Uint8Array =>
  readFileSync(new URL(shared ? '../simd/kernels-shared.wasm' : '../simd/kernels.wasm', import.meta.url));

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

/** A value as text for a notebook's or kernel's plain output (Node's inspect, 4 levels, 20 items). */
export const formatValue = (value: unknown): string => inspect(value, { depth: 4, colors: false, maxArrayLength: 20 });

/** Lets timers, I/O and interrupts in between two steps (after pending I/O: setImmediate). */
export const yieldToEventLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

/** The most memory this process has held so far, in MB (its peak resident set). */
export const peakMemoryMb = (): number | undefined => process.resourceUsage().maxRSS / 1024;

/** An environment variable (none in a browser). */
export const environment = (name: string): string | undefined => process.env[name];

/** Tells this process's outputs from another's (ids of plots saved in the same notebook). */
export const processTag = String(process.pid);
