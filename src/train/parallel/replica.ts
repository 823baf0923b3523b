// What a worker thread runs: a replica of a training's network, built by a task module (cnn/replica.ts,
// rnn/replica.ts) from plain settings, that takes steps on its shard of a batch. A step returns sums over
// its rows (losses, correct answers; the main thread weighs and adds them) and, when asked, gradients.
import type { Tensor, Variable } from '@tensorflow/tfjs';

export interface ReplicaStep {
  step: string;
  args: Record<string, unknown>;
  /** The shard's arrays as tensors (the worker disposes them after the step). */
  inputs: Record<string, Tensor>;
  /** The tensors to return gradients for. */
  grads: string[];
}

export interface ReplicaResult {
  sums: Record<string, number>;
  /** Gradients by name; a tensor off the path to the loss has none (and is not updated, as in PyTorch). */
  grads?: Record<string, Tensor>;
}

export interface Replica {
  /** Weights and buffers, named as the main thread's master copy names them. */
  readonly tensors: Map<string, Variable>;
  /** Names of the buffers (running statistics) among the tensors. */
  readonly buffers: string[];
  step(s: ReplicaStep): ReplicaResult | Promise<ReplicaResult>;
  dispose(): void;
}

/** The export a replica module provides. */
export type CreateReplica = (args: unknown) => Replica | Promise<Replica>;
