// The EDNAS supernet: one weight for every (edge, operation) of every cell, created once and shared by all
// children. A forward pass runs only the sampled child, so only the child's weights take part (and only
// they receive gradients).
import * as tf from '@tensorflow/tfjs';
import type { Tensor4D, Variable } from '@tensorflow/tfjs';
import type { Rng } from '../random/rng.ts';
import { OPS, OP_NAMES, type OpConfig, type Weights } from '../space/ops.ts';
import { concatChannels } from '../space/primitives.ts';
import { STEPS, type Genotype } from '../space/genotype.ts';
import type { CellPlan } from '../space/plan.ts';
import { cellsAfterStem, stem, stemShapes } from '../network/stem.ts';
import { cellInputShapes, cellInputs } from '../space/cell-inputs.ts';
import { WeightStore } from '../network/weight-store.ts';

export interface SupernetConfig {
  /** Channels of the first cells (the paper: 16). */
  C: number;
  /** Cells (the paper: 8). */
  layers: number;
  classes: number;
  /** Stem output = stemMultiplier x C (DARTS: 3). */
  stemMultiplier: number;
  /** The ImageNet stem (two stride-2 stages, then a third) instead of CIFAR's. */
  imagenet?: boolean;
}

const edgeName = (cell: number, node: number, input: number) => `cells.${cell}.edges.${node}_${input}`;

export class Supernet {
  private readonly store: WeightStore;
  private readonly stemNames: string[];
  readonly cells: CellPlan[];

  constructor(
    readonly config: SupernetConfig,
    rng: Rng,
  ) {
    const { C, layers, classes, stemMultiplier } = config;
    const imagenet = config.imagenet ?? false;
    const stemLayout = stemShapes(C, imagenet, stemMultiplier);
    this.cells = cellsAfterStem(C, layers, stemLayout.channels, imagenet);
    this.store = new WeightStore(rng);
    const add = (name: string, shape: number[], fanIn?: number) => this.store.add(name, shape, fanIn);
    this.store.addAll('', stemLayout.shapes);
    this.stemNames = Object.keys(stemLayout.shapes);
    for (const cell of this.cells) {
      this.store.addAll(`cells.${cell.index}.`, cellInputShapes(cell, false));
      for (let i = 0; i < STEPS; i++) {
        for (let j = 0; j < 2 + i; j++) {
          for (const op of OP_NAMES)
            this.store.addAll(`${edgeName(cell.index, i, j)}.${op}.`, OPS[op].weightShapes(this.opConfig(cell, j)));
        }
      }
    }
    const last = this.cells[this.cells.length - 1];
    add('classifier.w', [4 * last.C, classes]);
    add('classifier.b', [classes], 4 * last.C);
  }

  private opConfig(cell: CellPlan, input: number): OpConfig {
    return { C: cell.C, stride: cell.reduction && input < 2 ? 2 : 1, affine: false, poolBatchNorm: true };
  }

  get weights(): Map<string, Variable> {
    return this.store.weights;
  }

  private group(prefix: string): Weights {
    return this.store.group(prefix);
  }

  /** Names of the weights a child uses: the ones its forward pass reads. */
  childWeightNames(genotype: Genotype): string[] {
    const used = [...this.stemNames, 'classifier.w', 'classifier.b'];
    for (const cell of this.cells) {
      const prefixes = [`cells.${cell.index}.pre0.`, `cells.${cell.index}.pre1.`];
      (cell.reduction ? genotype.reduce : genotype.normal).forEach(([op, j], k) => {
        prefixes.push(`${edgeName(cell.index, Math.floor(k / 2), j)}.${op}.`);
      });
      for (const p of prefixes) for (const k of Object.keys(this.group(p))) used.push(p + k);
    }
    return used;
  }

  /** Logits of the child `genotype` on images x ([B, H, W, 3]). */
  forward(x: Tensor4D, genotype: Genotype): tf.Tensor2D {
    return tf.tidy(() => {
      const w = (n: string) => this.weights.get(n)!;
      let [s0, s1]: Tensor4D[] = stem(x, this.group(''), this.config.imagenet ?? false);
      for (const cell of this.cells) {
        const pairs = cell.reduction ? genotype.reduce : genotype.normal;
        const concat = cell.reduction ? genotype.reduce_concat : genotype.normal_concat;
        const p = `cells.${cell.index}`;
        const states: Tensor4D[] = cellInputs(cell, s0, s1, (block) => this.group(`${p}.${block}.`));
        for (let i = 0; i < STEPS; i++) {
          const terms = [pairs[2 * i], pairs[2 * i + 1]].map(([op, j]) =>
            OPS[op].forward(states[j], this.group(`${edgeName(cell.index, i, j)}.${op}.`), this.opConfig(cell, j)),
          );
          states.push(tf.add(terms[0], terms[1]));
        }
        [s0, s1] = [s1, concatChannels(concat.map((k) => states[k]))];
      }
      const pooled = tf.mean(s1, [1, 2]) as tf.Tensor2D;
      return tf.add(tf.matMul(pooled, w('classifier.w') as tf.Tensor2D), w('classifier.b')) as tf.Tensor2D;
    });
  }

  dispose(): void {
    this.store.dispose();
  }
}
