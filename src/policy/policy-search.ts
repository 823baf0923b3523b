// What every EDNAS search shares, whatever the cell: the policy vectors and the stream that samples
// children from them, the moving-average baseline and Adam for REINFORCE, and the records (epochs, every
// step, the probabilities after each epoch) that checkpoints carry and reports draw.
import { Rng, type RngState } from '../random/rng.ts';
import { Adam, Baseline, reinforceGradient, type AdamState } from './reinforce.ts';
import type { Draw } from './categorical.ts';

/** The policy phase's settings, the same for CNN and recurrent searches. */
export interface PolicyConfig {
  policyBatchSize: number;
  policyLr: number;
  policyBeta1: number;
  policyBeta2: number;
  baselineDecay: number;
  /** Weight h of the entropy bonus in the REINFORCE loss. */
  entropyWeight: number;
  /**
   * Epochs at the start in which the policy phase measures rewards (and moves the baseline) but does not
   * update the policy, so the shared weights train under uniform sampling first. The paper has none (0);
   * short runs need some, or early rewards favour parameter-free operations whose rivals are untrained.
   */
  policyWarmupEpochs: number;
}

/** The columns of epochs.csv every search has (each adds its own loss, accuracy or perplexity, speed). */
export interface SearchEpochFields {
  epoch: number;
  lr: number;
  train_loss: number;
  mean_reward: number;
  baseline: number;
  entropy: number;
  log_prob: number;
  /** The argmax genotype after the epoch, as JSON. */
  genotype: string;
  weight_steps: number;
  policy_steps: number;
  wall_s: number;
  /** Live tensors after the epoch (flat across epochs when nothing leaks) and the process's peak RSS. */
  tensors: number;
  peak_rss_mb: number;
}

/** One row of steps.csv: a weight step (loss, accuracy) or a policy step (reward, baseline, advantage). */
export interface StepRecord {
  epoch: number;
  /** The sampled child, compactly (see childCode / rnnChildCode). */
  child: string;
  phase: 'weights' | 'policy';
  step: number;
  loss: number | null;
  accuracy: number | null;
  reward: number | null;
  baseline: number | null;
  advantage: number | null;
  entropy: number;
}

export interface PolicySearchState<Rec, Probs> {
  epoch: number;
  logits: number[];
  adam: AdamState;
  baseline: number | undefined;
  architectureRng: RngState;
  dataRng: RngState;
  epochs: Rec[];
  steps: StepRecord[];
  policyHistory: { epoch: number; probabilities: Probs }[];
}

export abstract class PolicySearch<Policy extends { logits: Float64Array; probabilities(): Probs }, Probs, Rec> {
  readonly baseline: Baseline;
  readonly adam: Adam;
  /** Completed epochs. */
  epoch = 0;
  readonly epochs: Rec[] = [];
  readonly steps: StepRecord[] = [];
  readonly policyHistory: { epoch: number; probabilities: Probs }[] = [];

  /**
   * `architectureRng` draws children, `dataRng` everything on the data side (minibatches, augmentation,
   * dropout): separate, so a change to the data does not change the sampled architectures.
   */
  constructor(readonly policy: Policy, private readonly policyConfig: PolicyConfig, public architectureRng: Rng, public dataRng: Rng) {
    this.baseline = new Baseline(policyConfig.baselineDecay);
    this.adam = new Adam(policy.logits.length, policyConfig.policyLr, policyConfig.policyBeta1, policyConfig.policyBeta2);
    this.policyHistory.push({ epoch: 0, probabilities: policy.probabilities() });
  }

  /** Whether the policy learns in the current epoch (after the warm-up epochs). */
  get policyLearns(): boolean {
    return this.epoch >= this.policyConfig.policyWarmupEpochs;
  }

  /** One REINFORCE step for a rewarded child: baseline update, advantage, Adam (unless `learn` is false). */
  protected reinforce(child: { draws: Draw[] }, reward: number, learn: boolean): { baseline: number; advantage: number; logitChange: Float64Array } {
    const baseline = this.baseline.update(reward);
    const advantage = reward - baseline;
    const before = Float64Array.from(this.policy.logits);
    if (learn) this.adam.step(this.policy.logits, reinforceGradient(this.policy.logits, child, advantage, this.policyConfig.entropyWeight));
    return { baseline, advantage, logitChange: this.policy.logits.map((v, k) => v - before[k]) };
  }

  /** After an epoch: its record and the probabilities now. */
  protected recordEpoch(record: Rec): Probs {
    this.epochs.push(record);
    const probabilities = this.policy.probabilities();
    this.policyHistory.push({ epoch: this.epoch, probabilities });
    return probabilities;
  }

  /** Everything a checkpoint needs besides the weights. */
  state(): PolicySearchState<Rec, Probs> {
    return {
      epoch: this.epoch, logits: [...this.policy.logits], adam: this.adam.state(), baseline: this.baseline.value,
      architectureRng: this.architectureRng.state(), dataRng: this.dataRng.state(),
      epochs: [...this.epochs], steps: [...this.steps], policyHistory: [...this.policyHistory],
    };
  }

  /** Puts back everything but the weights (the checkpoint restores those). */
  restoreState(s: PolicySearchState<Rec, Probs>): void {
    this.epoch = s.epoch;
    this.policy.logits.set(s.logits);
    this.adam.restore(s.adam);
    this.baseline.value = s.baseline;
    this.architectureRng = new Rng(s.architectureRng);
    this.dataRng = new Rng(s.dataRng);
    this.epochs.splice(0, Infinity, ...s.epochs);
    this.steps.splice(0, Infinity, ...s.steps);
    this.policyHistory.splice(0, Infinity, ...s.policyHistory);
  }
}
