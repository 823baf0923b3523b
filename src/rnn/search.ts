// The PTB search as an object whose steps are public, like the CNN `Search`: sample a recurrent cell, a
// weight step (one BPTT window of SGD), a policy step (reward = c / perplexity of the child on a window of
// the policy tokens, then REINFORCE), an epoch, derive. The epoch loop, records and REINFORCE are
// PolicySearch's.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random/rng.ts';
import { PolicySearch, type PolicySearchState, type SearchEpochFields } from '../policy/policy-search.ts';
import type { EpochSums, Phase, PolicyOutcome, WeightOutcome } from '../policy/policy-search.ts';
import { RnnPolicy, type RnnProbabilities } from '../policy/policy.ts';
import type { RnnChild } from '../policy/sample.ts';
import { splitTokens } from '../data/ptb-text.ts';
import type { RnnGenotype } from '../space/rnn-genotype.ts';
import type { TrainingEvent } from '../train/trainer.ts';
import type { RnnModel } from './model.ts';
import { BpttStream } from './stream.ts';
import { streamLoss } from './loss.ts';
import type { RnnSearchConfig } from './config.ts';
import { WindowTrainer } from './window-trainer.ts';

export interface RnnEpochRecord extends SearchEpochFields {
  train_ppl: number;
  tokens_per_s: number;
}

export type RnnSearchEvent = TrainingEvent<RnnProbabilities>;

export type RnnSearchState = PolicySearchState<RnnEpochRecord, RnnProbabilities>;

export class RnnSearch extends PolicySearch<RnnGenotype, RnnProbabilities, RnnEpochRecord> {
  declare readonly config: RnnSearchConfig;
  static readonly checkpointFormat = 'ednas-ptb-search-checkpoint';
  readonly checkpointFormat = RnnSearch.checkpointFormat;
  /** The language model whose weights the steps train; `trainer` holds it with its SGD and worker pool. */
  readonly model: RnnModel;
  private readonly trainer: WindowTrainer;
  /** The two token streams; each epoch starts them at the beginning with a zero state. */
  private weightStream: BpttStream;
  private policyStream: BpttStream;

  /** Worker threads the windows' streams spread over (1: all in this thread). */
  get workers(): number {
    return this.trainer.pool.size;
  }

  /** `workers`: threads for the epochs' steps (as the command decided; default: the cores, 8 streams each at least). */
  constructor(config: RnnSearchConfig, tokens: Int32Array, vocabulary: number, o: { workers?: number } = {}) {
    const root = new Rng(config.seed);
    const modelRng = root.fork();
    const architectureRng = root.fork();
    super(new RnnPolicy(), config, splitTokens(tokens, config), architectureRng, root.fork());
    this.trainer = new WindowTrainer(
      vocabulary,
      config,
      modelRng,
      o.workers,
      Math.min(config.batchSize, config.policyBatchSize),
    );
    this.model = this.trainer.model;
    this.weightStream = new BpttStream(this.split.weight, config.batchSize, config.bptt, config.hidden);
    this.policyStream = new BpttStream(this.split.policy, config.policyBatchSize, config.bptt, config.hidden);
  }

  /** One BPTT window of the weight tokens: SGD on the shared weights through the child's wiring. */
  async weightStep(
    child = this.sampleChild(),
    lr = this.lr,
  ): Promise<{ child: RnnChild; loss: number; gradNorm: number }> {
    const loss = await this.trainer.trainWindow(this.weightStream, 'weights', child.genotype, this.dataRng, lr);
    return { child, loss, gradNorm: this.trainer.sgd.lastGradNorm };
  }

  /**
   * Reward one child on a window of the policy tokens (no dropout), then one REINFORCE step unless `learn` is false.
   */
  async policyStep(child = this.sampleChild(), learn = true) {
    const perplexity = Math.exp(await this.trainer.windowLoss(this.policyStream, 'policy', child.genotype));
    const reward = this.config.rewardConstant / perplexity;
    return { child, perplexity, reward, ...this.reinforce(child, reward, learn) };
  }

  get lr(): number {
    return this.config.lr;
  }

  protected weightPhase(lr: number): Phase<WeightOutcome<RnnGenotype>> {
    this.weightStream.reset();
    this.policyStream.reset();
    return {
      total: this.weightStream.windows,
      next: async () => {
        if (this.weightStream.done) return undefined;
        const r = await this.weightStep(undefined, lr);
        return { ...r, metrics: { perplexity: Math.exp(r.loss) } };
      },
    };
  }

  protected policyPhase(learn: boolean): Phase<PolicyOutcome<RnnGenotype>> {
    return {
      total: this.policyStream.windows,
      next: async () => {
        if (this.policyStream.done) return undefined;
        const r = await this.policyStep(undefined, learn);
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
    this.trainer.publish();
  }

  dispose(): void {
    this.trainer.dispose();
    this.weightStream.dispose();
    this.policyStream.dispose();
  }
}
