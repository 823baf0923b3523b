// The language model with its SGD and its worker pool: what a PTB search and a PTB evaluation both train.
// A window runs on the pool's workers when there are some, else in this thread (train/step.ts).
import type { Rng } from '../random/rng.ts';
import type { RnnGenotype } from '../space/rnn-genotype.ts';
import { Sgd } from '../train/sgd.ts';
import { LazyPool } from '../train/parallel/lazy-pool.ts';
import { RnnModel } from './model.ts';
import { windowLoss, windowStep } from './loss.ts';
import { windowPoolLoss, windowPoolStep } from './parallel.ts';
import { StepRunner } from '../train/step.ts';
import type { BpttStream } from './stream.ts';
import type { RnnTraining } from './config.ts';

export class WindowTrainer {
  readonly model: RnnModel;
  /** Plain SGD, as DARTS trains the language model (no momentum). */
  readonly sgd: Sgd;
  readonly pool: LazyPool;
  /** How the windows run (in this thread or over the pool), chosen here once. */
  private readonly runner: StepRunner;

  /** `workers`: as the command decided (--workers, EDNAS_WORKERS); `rows`: a window's streams (8 a worker). */
  constructor(
    vocabulary: number,
    private readonly c: RnnTraining,
    rng: Rng,
    workers: number | undefined,
    rows: number,
  ) {
    this.model = new RnnModel({ vocabulary, hidden: c.hidden }, rng);
    this.sgd = new Sgd({ momentum: 0, nesterov: false, weightDecay: c.weightDecay, gradClip: c.gradClip });
    this.pool = new LazyPool(workers, rows, () => ({
      module: new URL('./replica.ts', import.meta.url).href,
      args: { vocabulary, hidden: c.hidden },
      master: this.model.weights,
    }));
    this.runner = new StepRunner(this.sgd, this.model.weights, this.pool);
  }

  /** SGD on the next window of `stream` (`key` names the stream on the workers); its loss per token. */
  trainWindow(stream: BpttStream, key: string, genotype: RnnGenotype, rng: Rng, lr: number): Promise<number> {
    const names = [...this.model.weights.keys()];
    return this.runner.train({
      local: () => windowStep(this.model, stream, genotype, this.c, rng, lr),
      pool: (pool) => windowPoolStep(pool, stream, key, names, genotype, this.c, rng, lr),
    });
  }

  /** The loss per token of `genotype` on the next window of `stream`, no dropout, no gradients. */
  windowLoss(stream: BpttStream, key: string, genotype: RnnGenotype): Promise<number> {
    return this.runner.measure({
      local: () => windowLoss(this.model, stream, genotype),
      pool: (pool) => windowPoolLoss(pool, stream, key, genotype),
    });
  }

  /** The workers read the model's weights again (after a checkpoint is restored). */
  publish(): void {
    this.pool.publish(this.model.weights.keys());
  }

  dispose(): void {
    this.pool.close();
    this.model.dispose();
    this.sgd.dispose();
  }
}
