// Runs the same computation on several tfjs backends inside one process.
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '../../src/backend/select.ts';

let ready: Promise<unknown> | undefined;

export async function onBackend<T>(name: BackendName, f: () => T | Promise<T>): Promise<T> {
  ready ??= initBackend('wasm');
  await ready;
  if (tf.getBackend() !== name && !(await tf.setBackend(name))) throw new Error(`backend ${name} did not start`);
  return f();
}
