// The evaluation networks of the spec (DARTS' NetworkCIFAR and NetworkImageNet): the derived cell stacked
// L times with affine batch norm that keeps running statistics (training mode moves them, evaluation mode
// uses them, as PyTorch's BatchNorm2d), no batch norm after pools, drop-path on every non-identity
// operation while training, and an auxiliary head after the second reduction cell.
import * as tf from '@tensorflow/tfjs';
import type { Tensor4D, Variable } from '@tensorflow/tfjs';
import type { Rng } from '../random/rng.ts';
import { bn, OPS, type OpConfig, type Weights } from '../space/ops.ts';
import { concatChannels, relu, type BnMode } from '../space/primitives.ts';
import type { Genotype } from '../space/genotype.ts';
import type { CellPlan } from '../space/plan.ts';
import { cellsAfterStem, stem, stemShapes } from './stem.ts';
import { cellInputShapes, cellInputs } from '../space/cell-inputs.ts';
import { WeightStore } from './weight-store.ts';

export interface EvalNetworkConfig {
  C: number;
  layers: number;
  classes: number;
  auxiliary: boolean;
  /** ImageNet layout: two stride-2 stem stages for 224px inputs, ImageNet auxiliary head. */
  imagenet: boolean;
}

export interface ForwardOptions {
  /** Training mode: batch statistics in batch norm (moving the running ones), drop-path, the auxiliary head. */
  training: boolean;
  /** Momentum of the running statistics (PyTorch's default 0.1). */
  bnMomentum?: number;
  /** Probability of dropping each non-identity operation's output per sample (training only). */
  dropPathProb?: number;
  /** Draws the drop-path masks. */
  rng?: Rng;
}

const AUX = 'auxiliary.';

export class EvalNetwork {
  private readonly store: WeightStore;
  readonly cells: CellPlan[];
  /** Index of the cell after which the auxiliary head reads (the second reduction). */
  readonly auxAfter: number;

  constructor(
    readonly genotype: Genotype,
    readonly config: EvalNetworkConfig,
    rng: Rng,
  ) {
    const { C, layers, classes, imagenet } = config;
    this.store = new WeightStore(rng);
    const add = (name: string, shape: number[], fanIn?: number) => this.store.add(name, shape, fanIn);
    const bnAffine = (name: string, c: number) => {
      add(`${name}.gamma`, [c]);
      add(`${name}.beta`, [c]);
    };
    const stemLayout = stemShapes(C, imagenet, 3);
    this.store.addAll('', stemLayout.shapes);
    this.cells = cellsAfterStem(C, layers, stemLayout.channels, imagenet);
    this.auxAfter = Math.floor((2 * layers) / 3);
    for (const cell of this.cells) {
      const p = `cells.${cell.index}`;
      this.store.addAll(`${p}.`, cellInputShapes(cell, true));
      this.pairs(cell).forEach(([op, j], e) => {
        this.store.addAll(`${p}.ops.${e}.`, OPS[op].weightShapes(this.opConfig(cell, j)));
      });
    }
    const auxC = 4 * this.cells[this.auxAfter].C;
    if (config.auxiliary) {
      add(`${AUX}conv1`, [1, 1, auxC, 128]);
      bnAffine(`${AUX}bn1`, 128);
      add(`${AUX}conv2`, [2, 2, 128, 768]);
      if (!imagenet) bnAffine(`${AUX}bn2`, 768);
      add(`${AUX}classifier.w`, [768, classes]);
      add(`${AUX}classifier.b`, [classes], 768);
    }
    const last = 4 * this.cells[this.cells.length - 1].C;
    add('classifier.w', [last, classes]);
    add('classifier.b', [classes], last);
    // Every batch norm's running statistics, as buffers beside its scale and shift.
    for (const [name, v] of [...this.store.weights]) {
      if (!name.endsWith('.gamma')) continue;
      const prefix = name.slice(0, -'.gamma'.length);
      this.store.addBuffer(`${prefix}.running_mean`, v.shape, 0);
      this.store.addBuffer(`${prefix}.running_var`, v.shape, 1);
    }
  }

  private pairs(cell: CellPlan) {
    return cell.reduction ? this.genotype.reduce : this.genotype.normal;
  }

  private opConfig(cell: CellPlan, input: number, mode?: BnMode): OpConfig {
    return { C: cell.C, stride: cell.reduction && input < 2 ? 2 : 1, affine: true, poolBatchNorm: false, bn: mode };
  }

  get weights(): Map<string, Variable> {
    return this.store.weights;
  }

  /** The batch norms' running statistics (PyTorch's buffers). */
  get buffers(): Map<string, Variable> {
    return this.store.buffers;
  }

  private group(prefix: string): Weights {
    return this.store.group(prefix);
  }

  /** Parameters, as DARTS counts them (the auxiliary head apart). */
  parameterCount(): { params: number; params_with_aux: number } {
    let params = 0;
    let aux = 0;
    for (const [name, v] of this.weights) {
      if (name.startsWith(AUX)) aux += v.size;
      else params += v.size;
    }
    return { params, params_with_aux: params + aux };
  }

  /** Logits, and the auxiliary head's logits when training with one. */
  forward(x: Tensor4D, o: ForwardOptions): { logits: tf.Tensor2D; aux?: tf.Tensor2D } {
    const w = (n: string) => this.weights.get(n)!;
    const mode: BnMode = { training: o.training, momentum: o.bnMomentum ?? 0.1 };
    const dropProb = o.training ? (o.dropPathProb ?? 0) : 0;
    let aux: tf.Tensor2D | undefined;
    const logits = tf.tidy(() => {
      let [s0, s1]: Tensor4D[] = stem(x, this.group(''), this.config.imagenet, mode);
      for (const cell of this.cells) {
        const p = `cells.${cell.index}`;
        const states: Tensor4D[] = cellInputs(cell, s0, s1, (block) => this.group(`${p}.${block}.`), mode);
        const pairs = this.pairs(cell);
        for (let i = 0; i < pairs.length / 2; i++) {
          const terms = [2 * i, 2 * i + 1].map((e) => {
            const [op, j] = pairs[e];
            const cfg = this.opConfig(cell, j, mode);
            const h = OPS[op].forward(states[j], this.group(`${p}.ops.${e}.`), cfg);
            const identity = op === 'skip_connect' && cfg.stride === 1;
            return dropProb > 0 && !identity ? dropPath(h, dropProb, o.rng!) : h;
          });
          states.push(tf.add(terms[0], terms[1]));
        }
        const concat = cell.reduction ? this.genotype.reduce_concat : this.genotype.normal_concat;
        [s0, s1] = [s1, concatChannels(concat.map((k) => states[k]))];
        if (cell.index === this.auxAfter && this.config.auxiliary && o.training)
          aux = tf.keep(this.auxiliaryHead(s1, mode));
      }
      const pooled = tf.mean(s1, [1, 2]) as tf.Tensor2D;
      return tf.add(tf.matMul(pooled, w('classifier.w') as tf.Tensor2D), w('classifier.b')) as tf.Tensor2D;
    });
    return { logits, aux };
  }

  /** ReLU, 5x5 average pool (stride 3 CIFAR, 2 ImageNet), 1x1 conv 128, BN, ReLU, 2x2 conv 768, (BN,) ReLU, linear. */
  private auxiliaryHead(x: Tensor4D, mode: BnMode): tf.Tensor2D {
    const w = (n: string) => this.weights.get(AUX + n)!;
    const bnw = (t: Tensor4D, n: string) => bn(t, this.group(AUX), n, mode);
    let h = tf.avgPool(relu(x), 5, this.config.imagenet ? 2 : 3, 'valid');
    h = relu(bnw(tf.conv2d(h, w('conv1') as Tensor4D, 1, 'valid'), 'bn1'));
    h = tf.conv2d(h, w('conv2') as Tensor4D, 1, 'valid');
    h = relu(this.config.imagenet ? h : bnw(h, 'bn2'));
    const flat = tf.reshape(h, [h.shape[0], -1]) as tf.Tensor2D;
    return tf.add(tf.matMul(flat, w('classifier.w') as tf.Tensor2D), w('classifier.b')) as tf.Tensor2D;
  }

  dispose(): void {
    this.store.dispose();
  }
}

/** Zeroes each sample's tensor with probability p and scales the rest by 1/(1-p) (DARTS' drop_path). */
export function dropPath(x: Tensor4D, p: number, rng: Rng): Tensor4D {
  const B = x.shape[0];
  const mask = Float32Array.from({ length: B }, () => (rng.uniform() < 1 - p ? 1 / (1 - p) : 0));
  return tf.tidy(() => tf.mul(x, tf.tensor4d(mask, [B, 1, 1, 1])));
}
