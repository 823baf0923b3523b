import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { IMAGENET_EVAL, IMAGENET_TRAIN, imageFolderBatches, scanImageFolder } from '../../src/data/image-folder.ts';
import { Rng } from '../../src/random/rng.ts';
import { tempDir } from '../helpers/fixtures.ts';
import { onBackend } from '../helpers/backends.ts';
import { SEED } from '../helpers/random.ts';

// train/<class>/ with JPEG and PNG images of different sizes, each a flat colour per class.
const root = tempDir();
const colours: Record<string, [number, number, number]> = { cat: [200, 30, 30], dog: [20, 40, 220] };
for (const [cls, [r, g, b]] of Object.entries(colours)) {
  mkdirSync(join(root, 'train', cls), { recursive: true });
  for (const [i, [w, h]] of [
    [40, 30],
    [30, 50],
    [64, 64],
  ].entries()) {
    const img = sharp({ create: { width: w, height: h, channels: 3, background: { r, g, b } } });
    await (i === 1 ? img.png() : img.jpeg({ quality: 95 })).toFile(
      join(root, 'train', cls, `${i}.${i === 1 ? 'png' : 'jpg'}`),
    );
  }
}
writeFileSync(join(root, 'train', 'cat', 'notes.txt'), 'not an image');
const small = { size: 16, resize: 20 };

test('scans class folders in sorted order, images only', () => {
  const f = scanImageFolder(join(root, 'train'));
  assert.deepEqual(f.classes, ['cat', 'dog']);
  assert.equal(f.files.length, 6);
  assert.deepEqual([...f.labels], [0, 0, 0, 1, 1, 1]);
});

test('streams cropped, normalized batches with the right labels (eval and random-resized train crops)', () =>
  onBackend('wasm', async () => {
    const f = scanImageFolder(join(root, 'train'));
    for (const transform of [
      { ...IMAGENET_EVAL, ...small },
      { ...IMAGENET_TRAIN, ...small },
    ]) {
      const shapes: number[][] = [];
      const labels: number[] = [];
      for await (const b of imageFolderBatches(f, [0, 3, 1, 4, 2], { batchSize: 2, transform, rng: new Rng(SEED) })) {
        shapes.push(b.x.shape);
        labels.push(...b.y.dataSync());
        // A flat-coloured image stays that colour whatever the crop: red channel of cat > blue.
        const x = b.x.arraySync() as number[][][][];
        b.y.dataSync().forEach((y, i) => {
          const [r, , bl] = x[i][8][8];
          assert.equal(r > bl, y === 0, `class ${y} colour`);
        });
        tf.dispose(b);
      }
      assert.deepEqual(shapes, [
        [2, 16, 16, 3],
        [2, 16, 16, 3],
        [1, 16, 16, 3],
      ]);
      assert.deepEqual(labels, [0, 1, 0, 1, 0]);
    }
  }));

test('a corrupt image is an error naming the file; a missing folder names the layout', () =>
  onBackend('wasm', async () => {
    const bad = join(tempDir(), 'val');
    mkdirSync(join(bad, 'cat'), { recursive: true });
    writeFileSync(join(bad, 'cat', 'broken.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x01]));
    const f = scanImageFolder(bad);
    await assert.rejects(async () => {
      for await (const b of imageFolderBatches(f, [0], { batchSize: 1, transform: { ...IMAGENET_EVAL, ...small } }))
        tf.dispose(b);
    }, /broken\.jpg: cannot decode the image .*Remove or replace the file/);
    assert.throws(() => scanImageFolder(join(root, 'nope')), /is not a directory\. Expected .*<class>\/<image>\.jpg/);
    assert.throws(() => scanImageFolder(join(root, 'train', 'cat')), /has no class folders/);
  }));
