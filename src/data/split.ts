// The EDNAS split: the training set is cut into a weight split (trains the supernet's weights) and a
// policy split (gives the rewards that train the policy vectors). Seeded, stratified by class, disjoint.
import { Rng } from '../random/rng.ts';
import { DataError } from './errors.ts';

export interface SplitConfig {
  seed: number;
  /** Use only this many training images in all (CPU-scale runs). */
  limit?: number;
  /** Share of the used images that goes to the policy split (paper, CIFAR-10: 10k of 50k = 0.2). */
  policyFraction?: number;
  /** Exact sizes instead of a fraction (paper, ImageNet: 1M / 0.2M). */
  weight?: number;
  policy?: number;
}

export interface EdnasSplit {
  weight: Int32Array;
  policy: Int32Array;
}

export const DEFAULT_POLICY_FRACTION = 0.2;

export function splitSizes(available: number, config: SplitConfig): { weight: number; policy: number } {
  if (config.weight !== undefined || config.policy !== undefined) {
    const weight = config.weight ?? 0;
    const policy = config.policy ?? 0;
    if (weight + policy > available) {
      throw new DataError(
        `the split asks for ${weight} weight + ${policy} policy images but the training set has ${available}; lower ` +
          `them or use a larger data set.`,
      );
    }
    return { weight, policy };
  }
  const n = Math.min(config.limit ?? available, available);
  const policy = Math.round(n * (config.policyFraction ?? DEFAULT_POLICY_FRACTION));
  if (n - policy < 1 || policy < 1)
    throw new DataError(`a split of ${n} images leaves an empty weight or policy split; raise --limit.`);
  return { weight: n - policy, policy };
}

export function ednasSplit(labels: ArrayLike<number>, config: SplitConfig): EdnasSplit {
  const { weight, policy } = splitSizes(labels.length, config);
  const rng = new Rng(config.seed);
  const all = Int32Array.from({ length: labels.length }, (_, i) => i);
  const used = stratifiedOrder(all, labels, rng).subarray(0, weight + policy);
  const ordered = stratifiedOrder(used, labels, rng);
  return { weight: ordered.slice(0, weight), policy: ordered.slice(weight) };
}

/**
 * The items in an order whose every prefix holds each class in proportion (within one image): each class is
 * shuffled and its r-th item gets the key (r + offset) / n_class, then all are sorted by key (systematic
 * sampling per class).
 */
function stratifiedOrder(items: Int32Array, labels: ArrayLike<number>, rng: Rng): Int32Array {
  const byClass = new Map<number, number[]>();
  for (const i of items) {
    const c = labels[i];
    if (!byClass.has(c)) byClass.set(c, []);
    byClass.get(c)!.push(i);
  }
  const keyed: { item: number; key: number; tie: number }[] = [];
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const members = rng.shuffle(byClass.get(c)!);
    const offset = rng.uniform();
    members.forEach((item, r) => {
      keyed.push({ item, key: (r + offset) / members.length, tie: rng.uniform() });
    });
  }
  keyed.sort((a, b) => a.key - b.key || a.tie - b.tie);
  return Int32Array.from(keyed, (k) => k.item);
}
