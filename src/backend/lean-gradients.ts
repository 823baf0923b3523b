// A backward pass that frees as it goes. tfjs 4.22's engine.gradients keeps every intermediate gradient and
// every tensor saved for the backward pass until the whole pass ends, so a training step's peak memory is
// the activations plus all their gradients (about twice the activations). Here a node's saved tensors and
// its outputs' gradients are released as soon as the node has been differentiated, as PyTorch's autograd
// does: the peak falls to about the activations. First-order gradients only; a gradient taken inside
// another (gradientDepth > 0) keeps tfjs' own pass, which higher-order gradients need.
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';

interface TapeNode {
  id: number;
  kernelName: string;
  inputs: Record<string, Tensor>;
  outputs: Tensor[];
  gradient?: (dys: (Tensor | null)[]) => Record<string, () => Tensor>;
  saved?: Tensor[];
}

interface EngineInternals {
  state: { activeTape: TapeNode[] | null; gradientDepth: number };
  scopedRun<T>(start: () => void, end: () => void, f: () => T): T;
  startTape(): void;
  endTape(): void;
  tidy<T>(nameOrFn: string | (() => T), fn?: () => T): T;
  gradients(f: () => Tensor, xs: Tensor[], dy?: Tensor, allowNoGradients?: boolean): { value: Tensor; grads: Tensor[] };
}

/** The nodes on a path from some x to y, inputs not depending on any x left out (as tfjs' tape.ts). */
function nodesXToY(tape: TapeNode[], xs: Tensor[], y: Tensor): TapeNode[] {
  const fromX = new Set(xs.map((x) => x.id));
  const nodesFromX = new Set<number>();
  for (const node of tape) {
    if (Object.values(node.inputs).some((t) => fromX.has(t.id))) {
      for (const o of node.outputs) fromX.add(o.id);
      nodesFromX.add(node.id);
    }
  }
  const toY = new Set([y.id]);
  const nodesToY = new Set<number>();
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i];
    if (node.outputs.some((o) => toY.has(o.id))) {
      for (const t of Object.values(node.inputs)) toY.add(t.id);
      nodesToY.add(node.id);
    }
  }
  return tape
    .filter((n) => nodesFromX.has(n.id) && nodesToY.has(n.id))
    .map((n) => ({
      ...n,
      inputs: Object.fromEntries(Object.entries(n.inputs).filter(([, t]) => fromX.has(t.id))),
    }));
}

function backprop(engine: EngineInternals, grads: Map<number, Tensor>, nodes: TapeNode[], keep: Set<number>): void {
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    const dys = node.outputs.map((o) => grads.get(o.id) ?? null);
    if (!node.gradient) throw new Error(`Cannot compute gradient: gradient function not found for ${node.kernelName}.`);
    const inputGradients = node.gradient(dys);
    for (const [name, x] of Object.entries(node.inputs)) {
      if (!(name in inputGradients))
        throw new Error(
          `Cannot backprop through input ${name}. Available gradients found: ${Object.keys(inputGradients)}.`,
        );
      let dx = engine.tidy(() => inputGradients[name]());
      if (dx.dtype !== 'float32')
        throw new Error(
          `Error in gradient for op ${node.kernelName}. The gradient of input ${name} must have 'float32' dtype, ` +
            `but has '${dx.dtype}'`,
        );
      if (!tf.util.arraysEqual(dx.shape, x.shape))
        throw new Error(
          `Error in gradient for op ${node.kernelName}. The gradient of input '${name}' has shape '${dx.shape}', ` +
            `which does not match the shape of the input '${x.shape}'`,
        );
      // A gradient passed straight through is an output's own gradient, freed below: keep a handle of its own.
      if (dys.includes(dx)) dx = dx.clone();
      const current = grads.get(x.id);
      if (current) {
        grads.set(x.id, tf.add(current, dx));
        current.dispose();
        dx.dispose();
      } else {
        grads.set(x.id, dx);
      }
    }
    // Nothing earlier on the tape reads this node's outputs or what it saved.
    for (const o of node.outputs) {
      if (keep.has(o.id)) continue;
      grads.get(o.id)?.dispose();
      grads.delete(o.id);
    }
    for (const t of node.saved ?? []) t.dispose();
  }
}

let original: EngineInternals['gradients'] | undefined;
let useOriginal = false;

/** Runs `f` with tfjs' own backward pass (to compare against). */
export function withTfjsGradients<T>(f: () => T): T {
  useOriginal = true;
  try {
    return f();
  } finally {
    useOriginal = false;
  }
}

/** Replaces engine.gradients (behind tf.grad, tf.grads, tf.variableGrads, optimizers) with the lean pass; once. */
export function installLeanGradients(): void {
  if (original) return;
  const engine = tf.engine() as unknown as EngineInternals;
  original = engine.gradients.bind(engine);
  const tfjs = original;
  engine.gradients = function gradients(f, xs, dy, allowNoGradients = false) {
    if (useOriginal || engine.state.gradientDepth > 0) return tfjs(f, xs, dy, allowNoGradients);
    tf.util.assert(xs.length > 0, () => 'gradients() received an empty list of xs.');
    if (dy != null && dy.dtype !== 'float32') throw new Error(`dy must have 'float32' dtype, but has '${dy.dtype}'`);
    const y = engine.scopedRun(
      () => engine.startTape(),
      () => engine.endTape(),
      () => engine.tidy('forward', f),
    );
    tf.util.assert(y instanceof tf.Tensor, () => 'The result y returned by f() must be a tensor.');
    const tape = engine.state.activeTape!;
    const nodes = nodesXToY(tape, xs, y);
    if (!allowNoGradients && nodes.length === 0 && xs.length > 0) {
      throw new Error(
        'Cannot compute gradient of y=f(x) with respect to x. Make sure that the f you passed encloses all ' +
          'operations that lead from x to y.',
      );
    }
    return engine.tidy('backward', () => {
      const grads = new Map<number, Tensor>([[y.id, dy ?? tf.ones(y.shape)]]);
      // The xs' gradients are the result; a dy given by the caller stays the caller's.
      backprop(engine, grads, nodes, new Set([...xs.map((x) => x.id), ...(dy ? [y.id] : [])]));
      const out = xs.map((x) => grads.get(x.id)!);
      for (const node of tape) for (const t of node.saved ?? []) t.dispose();
      engine.state.activeTape = null;
      return { value: y, grads: out };
    });
  };
}
