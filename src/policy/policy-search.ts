// What every EDNAS search shares, whatever the cell: the policy vectors and the stream that samples
// children from them, the moving-average baseline and Adam for REINFORCE, the two-phase epoch (weight
// phase, then policy phase, with records, events and abort), derivation, and the records (epochs, every
// step, the probabilities after each epoch) that checkpoints carry and reports draw. A task supplies its
// child's forward pass, reward and batches as the steps of the two phases.
import * as tf from '@tensorflow/tfjs';
import { peakMemoryMb } from '#host';
import { Rng, type RngState } from '../random/rng.ts';
import { interruptSignal, yieldToEventLoop } from '../train/trainer.ts';
import type { EpochOptions, EpochTrainer, TrainingEvent } from '../train/trainer.ts';
import { Adam, Baseline, reinforceGradient, type AdamState } from './reinforce.ts';
import type { PolicyVectors } from './policy.ts';
import { drawChild, edgeCode, type Child } from './sample.ts';
import { argmaxGenotype, deriveSampleBest, parseDeriveMethod, type DeriveMethod } from './derive.ts';
import type { Schema } from '../train/settings.ts';
import type { Checkpointable } from '../train/checkpoint.ts';

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

/** The policy phase's settings, typed and ranged (see train/settings.ts). */
export const POLICY_SCHEMA: Schema = {
  policyBatchSize: { kind: 'int', min: 1, doc: 'policy minibatch' },
  policyLr: { kind: 'number', above: 0, doc: "Adam's learning rate on the policy" },
  policyBeta1: { kind: 'number', min: 0, below: 1 },
  policyBeta2: { kind: 'number', min: 0, below: 1 },
  baselineDecay: { kind: 'number', min: 0, max: 1, doc: 'b <- decay b + (1 - decay) R' },
  entropyWeight: { kind: 'number', min: 0, doc: 'h, the entropy bonus' },
  policyWarmupEpochs: { kind: 'int', min: 0, doc: 'epochs before the policy learns' },
};

/** Settings of the epoch loop every search has. */
export const LOOP_SCHEMA: Schema = {
  ...POLICY_SCHEMA,
  epochs: { kind: 'int', min: 1 },
  weightSteps: { kind: 'int', min: 1, optional: true, doc: 'cap on weight steps an epoch' },
  policySteps: { kind: 'int', min: 1, optional: true, doc: 'cap on policy steps an epoch' },
  derive: {
    kind: 'text',
    parse: parseDeriveMethod,
    describe: 'argmax or sample-best:K (K >= 1)',
    pattern: /^(argmax|sample-best:0*[1-9]\d*)$/,
  },
};

/** What the epoch loop reads of a search's settings. */
export interface SearchLoopConfig extends PolicyConfig {
  epochs: number;
  /** Cap on steps per phase and epoch (undefined = one pass over the split). */
  weightSteps?: number;
  policySteps?: number;
  derive: DeriveMethod;
}

/** The columns of epochs.csv every search has (each adds its own accuracy or perplexity, and speed). */
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
  /** undefined where the platform does not say (a browser worker). */
  peak_rss_mb: number | undefined;
}

/** One row of steps.csv: a weight step (loss, accuracy) or a policy step (reward, baseline, advantage). */
export interface StepRecord {
  epoch: number;
  /** The sampled child, compactly (see edgeCode). */
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

/** One phase of an epoch as a task runs it: about how many steps it takes, and the next step (undefined once its data
 * is used up).
 */
export interface Phase<R> {
  total: number;
  next(): R | undefined | Promise<R | undefined>;
}

export interface WeightOutcome<G> {
  child: Child<G>;
  loss: number;
  /** The child's accuracy on the batch (image tasks). */
  accuracy?: number;
  /** Further metrics of the step's event (accuracy, perplexity). */
  metrics: Record<string, number>;
}

export interface PolicyOutcome<G> {
  child: Child<G>;
  reward: number;
  baseline: number;
  advantage: number;
  metrics: Record<string, number>;
}

/** Sums over an epoch's steps, from which a task computes its own columns. */
export interface EpochSums {
  weightSteps: number;
  policySteps: number;
  loss: number;
  accuracy: number;
  wall: number;
}

export type SearchEvent<P> = TrainingEvent<P>;

export abstract class PolicySearch<G, P, Rec extends SearchEpochFields>
  implements EpochTrainer<Rec, SearchEvent<P>>, Checkpointable<PolicySearchState<Rec, P>>
{
  readonly baseline: Baseline;
  readonly adam: Adam;
  /** Completed epochs. */
  epoch = 0;
  readonly epochs: Rec[] = [];
  readonly steps: StepRecord[] = [];
  readonly policyHistory: { epoch: number; probabilities: P }[] = [];

  /**
   * `split`: the EDNAS split of the training data into the part that trains the shared weights and the
   * part that rewards the policy (image indices, or token streams). `architectureRng` draws children,
   * `dataRng` everything on the data side (minibatches, augmentation, dropout): separate, so a change to
   * the data does not change the sampled architectures.
   */
  constructor(
    readonly policy: PolicyVectors<G, P>,
    readonly config: SearchLoopConfig,
    readonly split: { weight: Int32Array; policy: Int32Array },
    public architectureRng: Rng,
    public dataRng: Rng,
  ) {
    this.baseline = new Baseline(config.baselineDecay);
    this.adam = new Adam(policy.logits.length, config.policyLr, config.policyBeta1, config.policyBeta2);
    this.policyHistory.push({ epoch: 0, probabilities: policy.probabilities() });
  }

  /** The learning rate of the weight phase in the current epoch. */
  abstract get lr(): number;
  /** The weight phase of this epoch: SGD on sampled children over the weight split. */
  protected abstract weightPhase(lr: number): Phase<WeightOutcome<G>>;
  /** The policy phase: rewards of sampled children on the policy split, REINFORCE when `learn`. */
  protected abstract policyPhase(learn: boolean): Phase<PolicyOutcome<G>>;
  /** The task's own columns of the epoch's record. */
  protected abstract epochFields(sums: EpochSums): Omit<Rec, keyof SearchEpochFields>;
  /** How good a child is with the shared weights (higher is better), for sample-best derivation. */
  protected abstract score(genotype: G, signal?: AbortSignal): Promise<number>;
  abstract dispose(): void;
  /** A task's checkpoints: their kind, its tensors, and its own part of restoring them. */
  abstract readonly checkpointFormat: string;
  abstract checkpointTensors(): { weights: Map<string, tf.Variable>; slots: Map<string, tf.Tensor> };
  abstract restore(state: PolicySearchState<Rec, P>, slots: Map<string, tf.Tensor>): void;

  sampleChild(): Child<G> {
    return drawChild(this.policy, this.architectureRng);
  }

  /** Whether the policy learns in the current epoch (after the warm-up epochs). */
  get policyLearns(): boolean {
    return this.epoch >= this.config.policyWarmupEpochs;
  }

  /** One REINFORCE step for a rewarded child: baseline update, advantage, Adam (unless `learn` is false). */
  protected reinforce(
    child: Child<G>,
    reward: number,
    learn: boolean,
  ): { baseline: number; advantage: number; logitChange: Float64Array } {
    const baseline = this.baseline.update(reward);
    const advantage = reward - baseline;
    const before = Float64Array.from(this.policy.logits);
    if (learn)
      this.adam.step(
        this.policy.logits,
        reinforceGradient(this.policy.logits, child, advantage, this.config.entropyWeight),
      );
    return { baseline, advantage, logitChange: this.policy.logits.map((v, k) => v - before[k]) };
  }

  /** One epoch: the weight phase over the weight split, then the policy phase over the policy split. */
  async runEpoch(o: EpochOptions<SearchEvent<P>> = {}): Promise<Rec> {
    const epoch = this.epoch + 1;
    const lr = this.lr;
    const t0 = performance.now();
    const signal = o.signal ?? interruptSignal();
    const emit = (e: Omit<SearchEvent<P>, 'epoch'>) => o.onEvent?.({ ...e, epoch });
    const code = (c: Child<G>) => edgeCode(this.policy.layout, c.genotype);
    const sums: EpochSums = { weightSteps: 0, policySteps: 0, loss: 0, accuracy: 0, wall: 0 };
    const weights = this.weightPhase(lr);
    const weightCap = this.config.weightSteps ?? Infinity;
    const weightTotal = Math.min(weightCap, weights.total);
    for (let step = 1; step <= weightCap; step++) {
      signal?.throwIfAborted();
      await o.pause?.wait(signal);
      const r = await weights.next();
      if (r === undefined) break;
      sums.weightSteps = step;
      sums.loss += r.loss;
      sums.accuracy += r.accuracy ?? 0;
      this.steps.push({
        epoch,
        child: code(r.child),
        phase: 'weights',
        step,
        loss: r.loss,
        accuracy: r.accuracy ?? null,
        reward: null,
        baseline: null,
        advantage: null,
        entropy: r.child.entropy,
      });
      emit({ stage: 'weights', step, total: Math.max(weightTotal, step), metrics: { loss: r.loss, ...r.metrics, lr } });
      await yieldToEventLoop();
    }
    const policy = this.policyPhase(this.policyLearns);
    const policyCap = this.config.policySteps ?? Infinity;
    const policyTotal = Math.min(policyCap, policy.total);
    let rewardSum = 0,
      entropySum = 0,
      logProbSum = 0;
    for (let step = 1; step <= policyCap; step++) {
      signal?.throwIfAborted();
      await o.pause?.wait(signal);
      const r = await policy.next();
      if (r === undefined) break;
      sums.policySteps = step;
      rewardSum += r.reward;
      entropySum += r.child.entropy;
      logProbSum += r.child.logProb;
      this.steps.push({
        epoch,
        child: code(r.child),
        phase: 'policy',
        step,
        loss: null,
        accuracy: null,
        reward: r.reward,
        baseline: r.baseline,
        advantage: r.advantage,
        entropy: r.child.entropy,
      });
      emit({
        stage: 'policy',
        step,
        total: Math.max(policyTotal, step),
        metrics: { reward: r.reward, ...r.metrics, baseline: r.baseline, entropy: r.child.entropy },
      });
      await yieldToEventLoop();
    }
    sums.wall = (performance.now() - t0) / 1000;
    this.epoch = epoch;
    const n = Math.max(1, sums.policySteps);
    const record = {
      epoch,
      lr,
      train_loss: sums.loss / Math.max(1, sums.weightSteps),
      ...this.epochFields(sums),
      mean_reward: rewardSum / n,
      baseline: this.baseline.value ?? 0,
      entropy: entropySum / n,
      log_prob: logProbSum / n,
      genotype: JSON.stringify(argmaxGenotype(this.policy)),
      weight_steps: sums.weightSteps,
      policy_steps: sums.policySteps,
      wall_s: sums.wall,
      tensors: tf.memory().numTensors,
      peak_rss_mb: peakMemoryMb(),
    } as Rec;
    this.epochs.push(record);
    const probabilities = this.policy.probabilities();
    this.policyHistory.push({ epoch, probabilities });
    emit({
      stage: 'epoch',
      step: epoch,
      total: this.config.epochs,
      metrics: { ...record } as unknown as SearchEvent<P>['metrics'],
      policy: probabilities,
    });
    return record;
  }

  /** The final architecture: argmax of the policy, or the best of K samples scored with the shared weights. */
  async derive(method: DeriveMethod = this.config.derive, signal?: AbortSignal): Promise<G> {
    if (method === 'argmax') return argmaxGenotype(this.policy);
    const k = Number(method.split(':')[1]);
    return (await deriveSampleBest(this.policy, k, this.architectureRng, (g) => this.score(g, signal))).genotype;
  }

  /** What a finished search's manifest records: its epochs, the last epoch's reward and entropy, the derivation. */
  summary(): { epochs: number; mean_reward?: number; entropy?: number; derive: DeriveMethod } {
    const last = this.epochs.at(-1);
    return { epochs: this.epoch, mean_reward: last?.mean_reward, entropy: last?.entropy, derive: this.config.derive };
  }

  /** Everything a checkpoint needs besides the weights. */
  state(): PolicySearchState<Rec, P> {
    return {
      epoch: this.epoch,
      logits: [...this.policy.logits],
      adam: this.adam.state(),
      baseline: this.baseline.value,
      architectureRng: this.architectureRng.state(),
      dataRng: this.dataRng.state(),
      epochs: [...this.epochs],
      steps: [...this.steps],
      policyHistory: [...this.policyHistory],
    };
  }

  /** Puts back everything but the weights (the checkpoint restores those). */
  restoreState(s: PolicySearchState<Rec, P>): void {
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
