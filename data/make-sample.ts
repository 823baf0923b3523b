// Rebuilds data/cifar10-sample/ from a full CIFAR-10 binary folder: the first TRAIN_PER_CLASS images of each
// class in data_batch_1.bin order and the first TEST_PER_CLASS of each class in test_batch.bin order.
// Usage: node --import tsx data/make-sample.ts [SOURCE_DIR]   (default data/cache/cifar10: `ednas data cifar10`)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CIFAR10_FOLDER, encodeCifar10, readCifar10 } from '../src/data/cifar10.ts';
import { subset, type ImageSet } from '../src/data/image-set.ts';
import { CIFAR10_CACHE, CIFAR10_SAMPLE } from '../src/data/locate.ts';

const TRAIN_PER_CLASS = 160;
const TEST_PER_CLASS = 40;

function firstPerClass(set: ImageSet, perClass: number): ImageSet {
  const taken = new Array<number>(set.classes.length).fill(0);
  const keep: number[] = [];
  for (let i = 0; i < set.count; i++) if (taken[set.labels[i]]++ < perClass) keep.push(i);
  return subset(set, keep);
}

const source = readCifar10(process.argv[2] ?? CIFAR10_CACHE);
const out = join(CIFAR10_SAMPLE, CIFAR10_FOLDER);
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'data_batch_1.bin'), encodeCifar10(firstPerClass(source.train, TRAIN_PER_CLASS)));
writeFileSync(join(out, 'test_batch.bin'), encodeCifar10(firstPerClass(source.test, TEST_PER_CLASS)));
writeFileSync(join(out, 'batches.meta.txt'), `${source.classes.join('\n')}\n`);
console.log(`wrote ${out}: ${TRAIN_PER_CLASS * 10} training and ${TEST_PER_CLASS * 10} test images`);

// data/images/: the first test image of each class of the sample as a PNG, for `ednas predict`.
const sharp = (await import('sharp')).default;
const sample = readCifar10(CIFAR10_SAMPLE).test;
const images = join(CIFAR10_SAMPLE, '..', 'images');
mkdirSync(images, { recursive: true });
for (let c = 0; c < sample.classes.length; c++) {
  const i = Array.from(sample.labels).indexOf(c);
  const size = sample.height * sample.width * 3;
  await sharp(Buffer.from(sample.images.subarray(i * size, (i + 1) * size)), {
    raw: { width: sample.width, height: sample.height, channels: 3 },
  })
    .png()
    .toFile(join(images, `${sample.classes[c]}.png`));
}
console.log(`wrote ${images}: one PNG per class`);
