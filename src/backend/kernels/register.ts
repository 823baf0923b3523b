// Registers our kernels on the wasm backend when a backend is set: the ones tfjs 4.22 lacks for training,
// our faster ones under their own names (declared by their files with fastKernel), and a few stock kernels
// replaced by faster ones (Identity, Cast, DepthwiseConv2dNative). A missing kernel is registered only where
// none exists, so a future tfjs release that ships its own is used as is.
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.ts';
import { depthwiseBackpropFilterConfig } from './depthwise-backprop-filter.ts';
import { depthwiseBackpropInputConfig } from './depthwise-backprop-input.ts';
import { sharedCastConfig, sharedIdentityConfig } from './shared-identity.ts';
import { depthwiseConvConfig } from './depthwise-conv.ts';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.ts';
import { simdSupported } from '../simd/simd.ts';
import { fastKernels } from './fast.ts';
// Every operation, and with it every faster kernel it runs (each declared with fastKernel).
import '../ops.ts';

export { hasKernel } from './fast.ts';

/** The kernels tfjs 4.22's wasm backend lacks for training. */
const MISSING: readonly KernelConfig[] = [
  conv2dBackpropFilterConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  unsortedSegmentSumConfig,
];
/** With them, the faster replacements under their own names (kernels/fast.ts) the operations in ../ops run. */
export const WASM_TRAINING_KERNELS: readonly KernelConfig[] = [...MISSING, ...(simdSupported() ? fastKernels() : [])];

let replacedStock = false;

/**
 * Stock kernels replaced, once: Identity and same-type Cast share data instead of copying (see
 * shared-identity.ts), and with SIMD the depthwise convolution is ours (depthwise-conv.ts).
 */
function replaceStockKernels(added: string[]): void {
  const cast = tf.getKernel('Cast', 'wasm');
  const depthwise = tf.getKernel('DepthwiseConv2dNative', 'wasm');
  if (replacedStock || !cast || !depthwise || !tf.getKernel('Identity', 'wasm')) return;
  tf.unregisterKernel('Identity', 'wasm');
  tf.unregisterKernel('Cast', 'wasm');
  tf.registerKernel(sharedIdentityConfig());
  tf.registerKernel(sharedCastConfig(cast));
  added.push('Identity', 'Cast');
  if (simdSupported()) {
    tf.unregisterKernel('DepthwiseConv2dNative', 'wasm');
    tf.registerKernel(depthwiseConvConfig(depthwise));
    added.push('DepthwiseConv2dNative');
  }
  replacedStock = true;
}

/** Returns the names of the kernels this call registered. */
export function registerMissingWasmKernels(): string[] {
  const added: string[] = [];
  replaceStockKernels(added);
  for (const config of WASM_TRAINING_KERNELS) {
    if (tf.getKernel(config.kernelName, config.backendName) == null) {
      tf.registerKernel(config);
      added.push(config.kernelName);
    }
  }
  return added;
}

/** True when the backend's depthwise backprop kernels are ours, which handle dilation natively. */
export function hasDilatedDepthwiseBackprop(backendName: string): boolean {
  const ours = (name: string) =>
    tf.getKernel(name, backendName) === WASM_TRAINING_KERNELS.find((c) => c.kernelName === name);
  return ours('DepthwiseConv2dNativeBackpropInput') && ours('DepthwiseConv2dNativeBackpropFilter');
}
