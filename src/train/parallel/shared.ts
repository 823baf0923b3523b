// Named float32 tensors laid out in one SharedArrayBuffer, so every thread reads and writes them in place
// without copying through messages: the weights (one copy all threads see), and one region of gradients per
// worker. A layout is plain data, sent to workers once.
import type { Tensor } from '@tensorflow/tfjs';

export interface Slot {
  name: string;
  shape: number[];
  offset: number;
  size: number;
}

export interface Layout {
  slots: Slot[];
  /** Floats in one region. */
  size: number;
}

export function layoutOf(tensors: Iterable<[string, Pick<Tensor, 'shape' | 'size'>]>): Layout {
  const slots: Slot[] = [];
  let offset = 0;
  for (const [name, t] of tensors) {
    slots.push({ name, shape: t.shape, offset, size: t.size });
    offset += t.size;
  }
  return { slots, size: offset };
}

/** A region of `regions` x layout.size floats; region(k).slot(name) views one tensor's values. */
export class SharedTensors {
  readonly buffer: SharedArrayBuffer;
  private readonly byName: Map<string, Slot>;

  constructor(
    readonly layout: Layout,
    readonly regions = 1,
    buffer?: SharedArrayBuffer,
  ) {
    this.buffer = buffer ?? new SharedArrayBuffer(Math.max(4, 4 * layout.size * regions));
    this.byName = new Map(layout.slots.map((s) => [s.name, s]));
  }

  slot(name: string): Slot {
    const s = this.byName.get(name);
    if (!s) throw new Error(`no shared tensor named ${name}`);
    return s;
  }

  /** The values of tensor `name` in region `region`. */
  view(name: string, region = 0): Float32Array {
    const s = this.slot(name);
    return new Float32Array(this.buffer, 4 * (region * this.layout.size + s.offset), s.size);
  }
}

/** A shared buffer of at least `bytes` (grown by replacing it; the new one is sent to the workers). */
export function sharedAtLeast(current: SharedArrayBuffer | undefined, bytes: number): SharedArrayBuffer {
  return current && current.byteLength >= bytes
    ? current
    : new SharedArrayBuffer(Math.max(64, Math.ceil(bytes * 1.25)));
}
