// WebGPU as tfjs runs it on any platform (Dawn under Node, the browser's own): the adapter described
// (vendor, architecture, software or hardware, limits), tfjs 4.22's AddN fixed for 8 or more inputs, reading
// tensors back, and releasing the device. Node's loading of Dawn is webgpu.ts; a page's choice is
// select-browser.ts.
import * as tf from '@tensorflow/tfjs';

export interface WebGpuAdapter {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A software rasteriser (lavapipe, SwiftShader) or a fallback adapter: correct, but slower than the CPU. */
  software: boolean;
  limits: { maxBufferSize: number; maxStorageBufferBindingSize: number };
}

export interface GpuAdapter {
  info?: Record<string, unknown>;
  isFallbackAdapter?: boolean;
  limits: { maxBufferSize: number; maxStorageBufferBindingSize: number };
  requestAdapterInfo?(): Promise<Record<string, unknown>>;
}

/** The adapter's description, with `software` set for a rasteriser on the CPU or a fallback adapter. */
export async function describeGpuAdapter(a: GpuAdapter): Promise<WebGpuAdapter> {
  const info = a.info ?? (a.requestAdapterInfo ? await a.requestAdapterInfo() : {});
  const text = (k: string) => String(info[k] ?? '');
  const described = `${text('architecture')} ${text('device')} ${text('description')}`.toLowerCase();
  return {
    vendor: text('vendor'),
    architecture: text('architecture'),
    device: text('device'),
    description: text('description'),
    software:
      Boolean(info.isFallbackAdapter ?? a.isFallbackAdapter) ||
      /software|llvmpipe|lavapipe|swiftshader/.test(described),
    limits: {
      maxBufferSize: Number(a.limits.maxBufferSize),
      maxStorageBufferBindingSize: Number(a.limits.maxStorageBufferBindingSize),
    },
  };
}

/** One line: vendor, architecture, description and whether it is software. */
export function describeAdapter(a: WebGpuAdapter): string {
  const name = [a.vendor, a.architecture, a.description || a.device].filter(Boolean).join(' / ');
  return `${name} (${a.software ? 'software' : 'hardware'})`;
}

/** The GPU device of the running webgpu backend, if it is running. */
function runningDevice(): { destroy(): void } | undefined {
  const engine = tf.engine() as unknown as { registry: Record<string, { device?: { destroy(): void } }> };
  return engine.registry.webgpu?.device;
}

/**
 * Ends the webgpu backend (its buffers and its device) so that nothing GPU-side keeps the process alive.
 * Call it when done; another backend is chosen by the next initBackend.
 */
export function releaseWebGpu(): void {
  const device = runningDevice();
  if (!device) return;
  if (tf.getBackend() === 'webgpu') tf.engine().reset();
  try {
    tf.removeBackend('webgpu');
  } catch {
    /* already removed */
  }
  device.destroy();
}

/**
 * Makes the values of `tensors` readable synchronously (dataSync), as they are already on the CPU
 * backends: on webgpu each is fetched once (`await data()` keeps a CPU copy until the tensor changes).
 */
export async function readable(tensors: Iterable<tf.Tensor>): Promise<void> {
  if (tf.getBackend() !== 'webgpu') return;
  await Promise.all([...tensors].map((t) => t.data()));
}

/** Inputs one AddN pass may bind: the device's 8 storage buffers per shader stage, one for the output. */
const ADDN_INPUTS = 7;

/**
 * tfjs 4.22's webgpu AddN binds every input in one shader: past 7 inputs the pipeline is invalid and the
 * result is garbage (only a validation message is printed). Its kernel is wrapped to add at most 7 at a
 * time (gradients of a tensor read by many ops, such as a supernet's node inputs, sum many terms).
 */
export function chunkAddN(): void {
  const original = tf.getKernel('AddN', 'webgpu');
  if (!original || (original as { chunked?: boolean }).chunked) return;
  tf.unregisterKernel('AddN', 'webgpu');
  tf.registerKernel({
    kernelName: 'AddN',
    backendName: 'webgpu',
    chunked: true,
    kernelFunc: ({ inputs, backend, attrs }) => {
      let terms = Array.from(inputs as unknown as tf.TensorInfo[]);
      const temps: tf.TensorInfo[] = [];
      while (terms.length > ADDN_INPUTS) {
        const next: tf.TensorInfo[] = [];
        for (let i = 0; i < terms.length; i += ADDN_INPUTS) {
          const chunk = terms.slice(i, i + ADDN_INPUTS);
          if (chunk.length === 1) {
            next.push(chunk[0]);
            continue;
          }
          const sum = original.kernelFunc({
            inputs: chunk as unknown as tf.NamedTensorInfoMap,
            backend,
            attrs,
          }) as tf.TensorInfo;
          temps.push(sum);
          next.push(sum);
        }
        terms = next;
      }
      const out = original.kernelFunc({ inputs: terms as unknown as tf.NamedTensorInfoMap, backend, attrs });
      for (const t of temps) (backend as tf.KernelBackend).disposeData(t.dataId);
      return out;
    },
  } as tf.KernelConfig);
}
