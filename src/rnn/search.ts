// The PTB search as an object whose steps are public, like the CNN `Search`: sample a recurrent cell, a
// weight step (one BPTT window of SGD), a policy step (reward = c / perplexity of the child on a window of
// the policy tokens, then REINFORCE), an epoch, derive. Policy, baseline, Adam and records are shared.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random/rng.ts';
import { PolicySearch, type PolicySearchState, type SearchEpochFields } from '../policy/policy-search.ts';
import { splitTokens } from '../data/ptb.ts';
import { Sgd } from '../train/sgd.ts';
import type { SearchEvent } from '../train/search.ts';
import type { RnnGenotype } from './genotype.ts';
import { RnnModel } from './model.ts';
import { deriveRnnArgmax, RnnPolicy, rnnChildCode, sampleRnnChild, type RnnChild, type RnnProbabilities } from './policy.ts';
import { BpttStream } from './stream.ts';
import { interruptSignal } from '../display/hook.ts';
import { streamLoss, tokenLoss, trainWindow } from './loss.ts';
import type { RnnSearchConfig } from './config.ts';

export interface RnnEpochRecord extends SearchEpochFields {
  train_ppl: number;
  tokens_per_s: number;
}

export type RnnSearchEvent = SearchEvent<RnnProbabilities>;

export type RnnSearchState = PolicySearchState<RnnEpochRecord, RnnProbabilities>;

export class RnnSearch extends PolicySearch<RnnPolicy, RnnProbabilities, RnnEpochRecord> {
  readonly model: RnnModel;
  readonly sgd: Sgd;
  readonly split: { weight: Int32Array; policy: Int32Array };
  /** The two token streams; each epoch starts them at the beginning with a zero state. */
  private weightStream: BpttStream;
  private policyStream: BpttStream;

  constructor(readonly config: RnnSearchConfig, tokens: Int32Array, vocabulary: number) {
    const root = new Rng(config.seed);
    const modelRng = root.fork();
    const architectureRng = root.fork();
    super(new RnnPolicy(), config, architectureRng, root.fork());
    this.split = splitTokens(tokens, config);
    this.model = new RnnModel({ vocabulary, hidden: config.hidden }, modelRng);
    this.sgd = new Sgd({ momentum: 0, nesterov: false, weightDecay: config.weightDecay, gradClip: config.gradClip });
    this.weightStream = new BpttStream(this.split.weight, config.batchSize, config.bptt, config.hidden);
    this.policyStream = new BpttStream(this.split.policy, config.policyBatchSize, config.bptt, config.hidden);
  }

  get lr(): number {
    return this.config.lr;
  }

  sampleChild(): RnnChild {
    return sampleRnnChild(this.policy, this.architectureRng);
  }

  /** One BPTT window of the weight tokens: SGD on the shared weights through the child's wiring. */
  weightStep(child = this.sampleChild(), lr = this.lr): { child: RnnChild; loss: number; gradNorm: number } {
    const loss = trainWindow(this.model, this.sgd, this.weightStream, child.genotype, this.config.dropout, this.dataRng, lr);
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

  async runEpoch(o: { signal?: AbortSignal; onEvent?: (e: RnnSearchEvent) => void } = {}): Promise<RnnEpochRecord> {
    const c = this.config;
    const epoch = this.epoch + 1;
    const t0 = performance.now();
    const emit = (e: Omit<RnnSearchEvent, 'epoch'>) => o.onEvent?.({ ...e, epoch });
    const tick = () => new Promise((r) => setImmediate(r));
    const signal = o.signal ?? interruptSignal();
    this.weightStream.reset();
    this.policyStream.reset();
    const weightTotal = Math.min(c.weightSteps ?? Infinity, this.weightStream.windows);
    let lossSum = 0;
    for (let step = 1; step <= weightTotal; step++) {
      signal?.throwIfAborted();
      const r = this.weightStep();
      lossSum += r.loss;
      this.steps.push({ epoch, child: rnnChildCode(r.child.genotype), phase: 'weights', step, loss: r.loss, accuracy: null, reward: null, baseline: null, advantage: null, entropy: r.child.entropy });
      emit({ stage: 'weights', step, total: weightTotal, metrics: { loss: r.loss, perplexity: Math.exp(r.loss), lr: this.lr } });
      await tick();
    }
    const policyTotal = Math.min(c.policySteps ?? Infinity, this.policyStream.windows);
    let rewardSum = 0, entropySum = 0, logProbSum = 0;
    for (let step = 1; step <= policyTotal; step++) {
      signal?.throwIfAborted();
      const r = this.policyStep(undefined, this.policyLearns);
      rewardSum += r.reward;
      entropySum += r.child.entropy;
      logProbSum += r.child.logProb;
      this.steps.push({ epoch, child: rnnChildCode(r.child.genotype), phase: 'policy', step, loss: null, accuracy: null, reward: r.reward, baseline: r.baseline, advantage: r.advantage, entropy: r.child.entropy });
      emit({ stage: 'policy', step, total: policyTotal, metrics: { reward: r.reward, perplexity: r.perplexity, baseline: r.baseline, entropy: r.child.entropy } });
      await tick();
    }
    const wall = (performance.now() - t0) / 1000;
    this.epoch = epoch;
    const trainLoss = lossSum / Math.max(1, weightTotal);
    const record: RnnEpochRecord = {
      epoch, lr: this.lr, train_loss: trainLoss, train_ppl: Math.exp(trainLoss),
      mean_reward: rewardSum / Math.max(1, policyTotal), baseline: this.baseline.value ?? 0,
      entropy: entropySum / Math.max(1, policyTotal), log_prob: logProbSum / Math.max(1, policyTotal),
      genotype: JSON.stringify(deriveRnnArgmax(this.policy)), weight_steps: weightTotal, policy_steps: policyTotal, wall_s: wall,
      tokens_per_s: (weightTotal * c.batchSize + policyTotal * c.policyBatchSize) * c.bptt / wall,
      tensors: tf.memory().numTensors, peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    };
    const probabilities = this.recordEpoch(record);
    emit({ stage: 'epoch', step: epoch, total: c.epochs, metrics: { ...record }, policy: probabilities });
    return record;
  }

  /** argmax of the policy, or the best of K sampled cells by perplexity on the policy tokens. */
  async derive(method = this.config.derive, signal?: AbortSignal): Promise<RnnGenotype> {
    if (method === 'argmax') return deriveRnnArgmax(this.policy);
    let best: { genotype: RnnGenotype; loss: number } | undefined;
    for (let k = 0; k < Number(method.split(':')[1]); k++) {
      const { genotype } = this.sampleChild();
      const loss = await this.loss(genotype, this.split.policy, signal);
      if (!best || loss < best.loss) best = { genotype, loss };
    }
    return best!.genotype;
  }

  /** Mean loss per token of a cell with the shared weights (exp = perplexity). */
  loss(genotype: RnnGenotype, tokens: Int32Array, signal?: AbortSignal): Promise<number> {
    return streamLoss(this.model, genotype, tokens, this.config.policyBatchSize, this.config.bptt, signal);
  }

  dispose(): void {
    this.model.dispose();
    this.sgd.dispose();
    this.weightStream.dispose();
    this.policyStream.dispose();
  }
}
