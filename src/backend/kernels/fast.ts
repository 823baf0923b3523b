// Our faster kernels for the wasm backend under their own names (SIMD, see ../simd): each kernel file
// declares its configs with fastKernel, and register.ts registers every one declared when a backend is
// set, so adding a kernel touches no list. An operation asks hasKernel before it runs one.
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';

const FAST: KernelConfig[] = [];

/** Declares a faster kernel `kernelName` (registered on wasm with SIMD); returns its config. */
export function fastKernel(kernelName: string, kernelFunc: KernelFunc): KernelConfig {
  const config: KernelConfig = { kernelName, backendName: 'wasm', kernelFunc };
  FAST.push(config);
  return config;
}

/** Every faster kernel declared by the kernel modules loaded so far. */
export const fastKernels = (): readonly KernelConfig[] => FAST;

/** True when the current backend has the kernel `name` (one of ours on wasm). */
export const hasKernel = (name: string): boolean => tf.getKernel(name, tf.getBackend()) != null;
