// The PTB search as an object whose steps are public, like the CNN `Search`: sample a recurrent cell, a
// weight step (one BPTT window of SGD), a policy step (reward = c / perplexity of the child on a window of
// the policy tokens, then REINFORCE), an epoch, derive. The epoch loop, records and REINFORCE are
// PolicySearch's.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random/rng.ts';
import { PolicySearch, type EpochSums, type Phase, type PolicyOutcome, type PolicySearchState, type SearchEpochFields, type WeightOutcome } from '../policy/policy-search.ts';
import { RnnPolicy, type RnnProbabilities } from '../policy/policy.ts';
import type { RnnChild } from '../policy/sample.ts';
import { splitTokens } from '../data/ptb.ts';
import type { RnnGenotype } from '../space/rnn-genotype.ts';
import { Sgd } from '../train/sgd.ts';
import type { Checkpointable } from '../train/checkpoint.ts';
import type { TrainingEvent } from '../train/trainer.ts';
import { RnnModel } from './model.ts';
import { BpttStream } from './stream.ts';
import { streamLoss, tokenLoss, trainWindow } from './loss.ts';
import type { RnnSearchConfig } from './config.ts';

export interface RnnEpochRecord extends SearchEpochFields {
  train_ppl: number;
  tokens_per_s: number;
}

export type RnnSearchEvent = TrainingEvent<RnnProbabilities>;

export type RnnSearchState = PolicySearchState<RnnEpochRecord, RnnProbabilities>;

export class RnnSearch extends PolicySearch<RnnGenotype, RnnProbabilities, RnnEpochRecord> implements Checkpointable<RnnSearchState> {
  declare readonly config: RnnSearchConfig;
  static readonly checkpointFormat = 'ednas-ptb-search-checkpoint';
  readonly checkpointFormat = RnnSearch.checkpointFormat;
  readonly model: RnnModel;
  readonly sgd: Sgd;
  /** The two token streams; each epoch starts them at the beginning with a zero state. */
  private weightStream: BpttStream;
  private policyStream: BpttStream;

  constructor(config: RnnSearchConfig, tokens: Int32Array, vocabulary: number) {
    const root = new Rng(config.seed);
    const modelRng = root.fork();
    const architectureRng = root.fork();
    super(new RnnPolicy(), config, splitTokens(tokens, config), architectureRng, root.fork());
    this.model = new RnnModel({ vocabulary, hidden: config.hidden }, modelRng);
    this.sgd = new Sgd({ momentum: 0, nesterov: false, weightDecay: config.weightDecay, gradClip: config.gradClip });
    this.weightStream = new BpttStream(this.split.weight, config.batchSize, config.bptt, config.hidden);
    this.policyStream = new BpttStream(this.split.policy, config.policyBatchSize, config.bptt, config.hidden);
  }

  get lr(): number {
    return this.config.lr;
  }

  /** One BPTT window of the weight tokens: SGD on the shared weights through the child's wiring. */
  weightStep(child = this.sampleChild(), lr = this.lr): { child: RnnChild; loss: number; gradNorm: number } {
    const loss = trainWindow(this.model, this.sgd, this.weightStream, child.genotype, this.config, this.dataRng, lr);
    return { child, loss, gradNorm: this.sgd.lastGradNorm };
  }

  /** Reward one child on a window of the policy tokens (no dropout), then one REINFORCE step unless `learn` is false. */
  policyStep(child = this.sampleChild(), learn = true) {
    const { x, y } = this.policyStream.next();
    const { logits, hidden } = this.model.forward(x, this.policyStream.hidden, child.genotype);
    const loss = tokenLoss(logits, y);
    const perplexity = Math.exp(loss.dataSync()[0]);
    this.policyStream.carry(hidden);
    tf.dispose([x, y, logits, hidden, loss]);
    const reward = this.config.rewardConstant / perplexity;
    return { child, perplexity, reward, ...this.reinforce(child, reward, learn) };
  }

  protected weightPhase(lr: number): Phase<WeightOutcome<RnnGenotype>> {
    this.weightStream.reset();
    this.policyStream.reset();
    return {
      total: this.weightStream.windows,
      next: () => {
        if (this.weightStream.done) return undefined;
        const r = this.weightStep(undefined, lr);
        return { ...r, metrics: { perplexity: Math.exp(r.loss) } };
      },
    };
  }

  protected policyPhase(learn: boolean): Phase<PolicyOutcome<RnnGenotype>> {
    return {
      total: this.policyStream.windows,
      next: () => {
        if (this.policyStream.done) return undefined;
        const r = this.policyStep(undefined, learn);
        return { ...r, metrics: { perplexity: r.perplexity } };
      },
    };
  }

  protected epochFields(s: EpochSums): Pick<RnnEpochRecord, 'train_ppl' | 'tokens_per_s'> {
    const c = this.config;
    return {
      train_ppl: Math.exp(s.loss / Math.max(1, s.weightSteps)),
      tokens_per_s: ((s.weightSteps * c.batchSize + s.policySteps * c.policyBatchSize) * c.bptt) / s.wall,
    };
  }

  /** A sampled cell is better the lower its loss on the policy tokens. */
  protected async score(genotype: RnnGenotype, signal?: AbortSignal): Promise<number> {
    return -(await this.loss(genotype, this.split.policy, signal));
  }

  /** Mean loss per token of a cell with the shared weights (exp = perplexity). */
  loss(genotype: RnnGenotype, tokens: Int32Array, signal?: AbortSignal): Promise<number> {
    return streamLoss(this.model, genotype, tokens, this.config.policyBatchSize, this.config.bptt, signal);
  }

  checkpointTensors() {
    return { weights: this.model.weights, slots: new Map<string, tf.Tensor>() };
  }

  restore(state: RnnSearchState, slots: Map<string, tf.Tensor>): void {
    tf.dispose([...slots.values()]);
    this.restoreState(state);
  }

  dispose(): void {
    this.model.dispose();
    this.sgd.dispose();
    this.weightStream.dispose();
    this.policyStream.dispose();
  }
}
