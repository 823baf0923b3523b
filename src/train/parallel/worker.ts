// A worker thread of a data-parallel training: TensorFlow.js on its own wasm instance with this project's
// kernels, a replica of the network, and steps on its shard. Weights come from the shared weights (only
// those the main thread changed since the last step), gradients go to the worker's region of the shared
// gradients, read straight from the wasm heap.
import { parentPort } from '#host';
import '../../backend/preload.ts';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../backend/select.ts';
import { SharedTensors } from './shared.ts';
import { copyValues } from '../../backend/device.ts';
import type { FromWorker, SharedArray, ToWorker } from './protocol.ts';
import type { CreateReplica, Replica } from './replica.ts';

const port = parentPort!;
const send = (m: FromWorker) => port.postMessage(m);

let worker = 0;
let replica: Replica;
let weights: SharedTensors;
let grads: SharedTensors;

function load(names: string[]): void {
  for (const name of names) {
    const v = replica.tensors.get(name);
    if (!v) continue;
    const t = tf.tensor(weights.view(name), v.shape);
    v.assign(t);
    t.dispose();
  }
}

const tensorOf = (a: SharedArray) =>
  a.dtype === 'int32'
    ? tf.tensor(
        new Int32Array(
          a.buffer,
          0,
          a.shape.reduce((x, y) => x * y, 1),
        ),
        a.shape,
        'int32',
      )
    : tf.tensor(
        new Float32Array(
          a.buffer,
          0,
          a.shape.reduce((x, y) => x * y, 1),
        ),
        a.shape,
      );

async function handle(m: ToWorker): Promise<FromWorker> {
  if (m.type === 'init') {
    worker = m.worker;
    await initBackend('wasm');
    const module = (await import(m.module)) as { createReplica: CreateReplica };
    replica = await module.createReplica(m.args);
    weights = new SharedTensors(m.layout, 1, m.weights);
    grads = new SharedTensors(m.layout, 0, m.grads);
    load(m.layout.slots.map((s) => s.name));
    return { type: 'ready' };
  }
  load(m.load);
  const inputs = Object.fromEntries(Object.entries(m.inputs).map(([k, a]) => [k, tensorOf(a)]));
  try {
    const r = await replica.step({ step: m.step, args: m.args, inputs, grads: m.grads });
    const gradNames = Object.keys(r.grads ?? {});
    for (const name of gradNames) copyValues(r.grads![name], grads.view(name, worker));
    tf.dispose(Object.values(r.grads ?? {}));
    if (m.publishBuffers)
      for (const name of replica.buffers) copyValues(replica.tensors.get(name)!, weights.view(name));
    return { type: 'done', sums: r.sums, gradNames };
  } finally {
    tf.dispose(Object.values(inputs));
  }
}

port.on('message', (m: ToWorker) => {
  handle(m).then(send, (e: Error) => send({ type: 'failed', error: e.stack ?? e.message }));
});
