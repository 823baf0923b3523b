// A gradient for depthwise convolution that accepts dilation > 1, on every backend (tfjs 4.22 throws
// "dilation rates greater than 1 are not yet supported"). Where the backend's backprop kernels are ours
// they take the dilation directly. Elsewhere the dilated filter is rewritten as an undilated one with
// zeros between its taps (same effective size, same padding), whose gradients the stock kernels compute;
// the filter gradient is then read back at the dilated taps.
import * as tf from '@tensorflow/tfjs';
import type { GradConfig, NamedAttrMap, Tensor, Tensor4D } from '@tensorflow/tfjs';
import { hasDilatedDepthwiseBackprop } from './kernels/register.ts';

type Pair = [number, number];
const pair = (v: number | number[] | undefined): Pair =>
  v == null ? [1, 1] : typeof v === 'number' ? [v, v] : [v[0], v[1] ?? v[0]];

/** Inserts (d-1) zeros between the taps of a [kh,kw,C,M] filter along height and width. */
export function dilateFilter(filter: Tensor4D, [dh, dw]: Pair): Tensor4D {
  return tf.tidy(() => {
    const [kh, kw, C, M] = filter.shape;
    const eh = dh * (kh - 1) + 1;
    const ew = dw * (kw - 1) + 1;
    const rows = tf.slice(
      tf.reshape(
        tf.pad(tf.reshape(filter, [kh, 1, kw * C * M]), [
          [0, 0],
          [0, dh - 1],
          [0, 0],
        ]),
        [kh * dh, kw, C, M],
      ),
      [0, 0, 0, 0],
      [eh, kw, C, M],
    );
    return tf.slice(
      tf.reshape(
        tf.pad(tf.reshape(rows, [eh, kw, 1, C * M]), [
          [0, 0],
          [0, 0],
          [0, dw - 1],
          [0, 0],
        ]),
        [eh, kw * dw, C, M],
      ),
      [0, 0, 0, 0],
      [eh, ew, C, M],
    ) as Tensor4D;
  });
}

export const depthwiseConv2dNativeGradConfig: GradConfig = {
  kernelName: 'DepthwiseConv2dNative',
  inputsToSave: ['x', 'filter'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x, filter] = saved as [Tensor4D, Tensor4D];
    const { strides, pad, dimRoundingMode } = attrs as unknown as {
      strides: Pair;
      pad: unknown;
      dimRoundingMode?: string;
    };
    const dilations = pair(attrs.dilations as number | number[] | undefined);
    const engine = tf.engine();
    const common = { strides, pad, dimRoundingMode };
    const dilated = dilations[0] > 1 || dilations[1] > 1;
    if (!dilated || hasDilatedDepthwiseBackprop(engine.backendName)) {
      return {
        x: () =>
          engine.runKernel('DepthwiseConv2dNativeBackpropInput', { dy: dy as Tensor, filter }, {
            ...common,
            dilations,
            inputShape: x.shape,
          } as unknown as NamedAttrMap) as Tensor,
        filter: () =>
          engine.runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy: dy as Tensor }, {
            ...common,
            dilations,
            filterShape: filter.shape,
          } as unknown as NamedAttrMap) as Tensor,
      };
    }
    const one: Pair = [1, 1];
    return {
      x: () =>
        tf.tidy(
          () =>
            engine.runKernel(
              'DepthwiseConv2dNativeBackpropInput',
              { dy: dy as Tensor, filter: dilateFilter(filter, dilations) },
              { ...common, dilations: one, inputShape: x.shape } as unknown as NamedAttrMap,
            ) as Tensor,
        ),
      filter: () =>
        tf.tidy(() => {
          const [kh, kw, C, M] = filter.shape;
          const shape = [dilations[0] * (kh - 1) + 1, dilations[1] * (kw - 1) + 1, C, M];
          const full = engine.runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy: dy as Tensor }, {
            ...common,
            dilations: one,
            filterShape: shape,
          } as unknown as NamedAttrMap) as Tensor4D;
          return tf.stridedSlice(full, [0, 0, 0, 0], shape, [dilations[0], dilations[1], 1, 1]);
        }),
    };
  },
};

export function registerDilatedDepthwiseGradient(): void {
  tf.registerGradient(depthwiseConv2dNativeGradConfig);
}
