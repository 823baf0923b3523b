// Identity and same-type Cast for the wasm backend without copying. tfjs 4.22's wasm versions copy the
// data, and the engine runs Identity for every tensor it saves for the backward pass (and Cast on each of
// their gradients): a full copy of the activations per training step. Sharing the data under a reference
// count, as the cpu backend and wasm's own Reshape do, is safe because tfjs never writes a tensor in place.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

interface RefCounted {
  incRef(dataId: object): void;
}

const share = (x: TensorInfo, backend: unknown): TensorInfo => {
  (backend as RefCounted).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

const identity: KernelFunc = ({ inputs, backend }) => share((inputs as { x: TensorInfo }).x, backend);

export function sharedIdentityConfig(): KernelConfig {
  return { kernelName: 'Identity', backendName: 'wasm', kernelFunc: identity };
}

/** Cast to the type a tensor already has shares it; any other cast runs the backend's own kernel. */
export function sharedCastConfig(original: KernelConfig): KernelConfig {
  const cast: KernelFunc = (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    return (args.attrs as { dtype: string }).dtype === x.dtype ? share(x, args.backend) : original.kernelFunc(args);
  };
  return { kernelName: 'Cast', backendName: 'wasm', kernelFunc: cast };
}
