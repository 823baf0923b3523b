// Median time of one forward + backward of each named EDNAS operation, per backend, as JSON lines.
//   npm run bench -- ops [--ops sep_conv_3x3,dil_conv_5x5] [--shape 64,32,32,16] [--stride 1]
//                        [--backends wasm,cpu] [--repeats 5]
import * as tf from '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import { initBackend, parseBackendName } from '../src/backend/select.ts';
import { OPS, isOpName, type OpConfig } from '../src/space/ops.ts';

export async function benchOps(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ops: { type: 'string', default: 'sep_conv_3x3,dil_conv_5x5' },
      shape: { type: 'string', default: '64,32,32,16' },
      stride: { type: 'string', default: '1' },
      backends: { type: 'string', default: 'wasm,cpu' },
      repeats: { type: 'string', default: '5' },
    },
  });
  const shape = values.shape.split(',').map(Number) as [number, number, number, number];
  const stride = Number(values.stride) as 1 | 2;
  const repeats = Number(values.repeats);
  await initBackend('wasm');
  for (const backend of values.backends.split(',').map((b) => parseBackendName(b, '--backends'))) {
    await initBackend(backend);
    for (const op of values.ops.split(',')) {
      if (!isOpName(op)) throw new Error(`unknown operation '${op}'`);
      const cfg: OpConfig = { C: shape[3], stride, affine: false, poolBatchNorm: true };
      const names = Object.keys(OPS[op].weightShapes(cfg));
      const x = tf.randomNormal(shape) as tf.Tensor4D;
      const ws = Object.values(OPS[op].weightShapes(cfg)).map((s) => tf.randomNormal(s, 0, 0.1));
      const step = () => {
        const g = tf.grads((xx: tf.Tensor, ...w: tf.Tensor[]) =>
          tf.mean(OPS[op].forward(xx as tf.Tensor4D, Object.fromEntries(names.map((n, i) => [n, w[i]])), cfg)),
        )([x, ...ws]);
        g.forEach((t) => {
          t.dataSync();
        });
        tf.dispose(g);
      };
      step(); // warm-up: kernel setup and allocations
      const times: number[] = [];
      for (let i = 0; i < repeats; i++) {
        const t0 = performance.now();
        step();
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      console.log(
        JSON.stringify({
          bench: 'op_forward_backward',
          op,
          backend,
          shape,
          stride,
          repeats,
          median_ms: +times[times.length >> 1].toFixed(2),
          min_ms: +times[0].toFixed(2),
        }),
      );
      tf.dispose([x, ...ws]);
    }
  }
}
