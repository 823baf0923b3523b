// Data set summaries as arquero tables, ready for a notebook display, a report or a CSV.
import { table, type ColumnTable } from 'arquero';
import { classCounts, type ImageSet } from './image-set.ts';
import type { EdnasSplit } from './split.ts';

/** One row per part (name, images, classes, size). */
export function summaryTable(
  parts: { part: string; set: Pick<ImageSet, 'count' | 'classes' | 'height' | 'width' | 'channels'> }[],
): ColumnTable {
  return table({
    part: parts.map((p) => p.part),
    images: parts.map((p) => p.set.count),
    classes: parts.map((p) => p.set.classes.length),
    shape: parts.map((p) => `${p.set.height}x${p.set.width}x${p.set.channels}`),
  });
}

/** Images per class in the weight split, the policy split and (when given) the test set. */
export function splitTable(train: ImageSet, split: EdnasSplit, test?: ImageSet): ColumnTable {
  const k = train.classes.length;
  const columns: Record<string, unknown[]> = {
    class: train.classes,
    weight: classCounts(train.labels, k, split.weight),
    policy: classCounts(train.labels, k, split.policy),
  };
  if (test) columns.test = classCounts(test.labels, k);
  return table(columns);
}
