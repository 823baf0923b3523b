// What a trainer keeps in a checkpoint and how it takes it back: any trainer that says what to keep can be
// checkpointed (searches, with the policy, Adam moments, baseline and RNG positions as state, and trainings
// alike). Writing and reading checkpoint files is rundir/checkpoint.ts' (Node).
import type { Tensor, Variable } from '@tensorflow/tfjs';

export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointError';
  }
}

/** What a trainer keeps in a checkpoint and how it takes it back. */
export interface Checkpointable<S> {
  /** Names the kind of checkpoint, so one is never restored into the wrong trainer. */
  readonly checkpointFormat: string;
  readonly config: unknown;
  checkpointTensors(): { weights: Map<string, Variable>; slots: Map<string, Tensor> };
  state(): S;
  /** Puts back the state and the slots (the checkpoint owns them now); the weights are restored already. */
  restore(state: S, slots: Map<string, Tensor>): void;
}
