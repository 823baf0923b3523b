// Concatenation along channels (NHWC): on wasm one straight copy each way (../kernels/channel-concat.ts).
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import { hasKernel } from '../kernels/fast.ts';
import { CONCAT_CHANNELS, SPLIT_CHANNELS } from '../kernels/channel-concat.ts';
import { custom } from './custom-grad.ts';

const inputs = (xs: Tensor[]) => Object.fromEntries(xs.map((t, k) => [`x${k}`, t]));

export function concatChannels(xs: Tensor4D[]): Tensor4D {
  if (!hasKernel(CONCAT_CHANNELS)) return tf.concat(xs, 3);
  const widths = xs.map((t) => t.shape[3]);
  const f = custom((...args: Array<Tensor | tf.GradSaveFunc>) => ({
    value: tf.engine().runKernel(CONCAT_CHANNELS, inputs(args.slice(0, xs.length) as Tensor[]), {}) as Tensor,
    gradFunc: (dy) => tf.engine().runKernel(SPLIT_CHANNELS, { x: dy }, { widths }) as Tensor[],
  }));
  return f(...xs) as Tensor4D;
}
