// `ednas predict` on damaged or hostile models and paths: NaN outputs, a class list that does not match
// the outputs, class names with terminal escapes, a damaged .onnx, folders named like images or models.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { saveModel } from '../../src/cnn/model-file.ts';
import { exportOnnx } from '../../src/cnn/onnx-export.ts';
import { NO_AUGMENTATION } from '../../src/data/augment.ts';
import { PACKAGE_ROOT } from '../../src/data/locate.ts';
import { tempDir } from '../helpers/fixtures.ts';
import { tinyNetwork } from '../helpers/tiny-cli.ts';

const bin = new URL('../../bin/ednas.js', import.meta.url).pathname;
const ednas = (args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, EDNAS_BACKEND: 'cpu' },
  });
const images = readdirSync(join(PACKAGE_ROOT, 'data', 'images'))
  .slice(0, 2)
  .map((f) => join(PACKAGE_ROOT, 'data', 'images', f));
const INPUT = {
  size: 32,
  mode: 'center' as const,
  resize: 32,
  flip: false,
  mean: NO_AUGMENTATION.mean,
  std: NO_AUGMENTATION.std,
};
const ESC = '\u001b[2J\u001b]0;owned\u0007';
const NASTY = Array.from({ length: 10 }, (_, k) => (k % 2 ? `c${k}${ESC}` : `c${k}\u202etxt.exe`));

test('class names with terminal escapes are shown escaped; a wrong class count or NaN outputs refused', async () => {
  const dir = tempDir();
  const net = await tinyNetwork();
  const model = join(dir, 'model');
  saveModel(model, net, { classes: NASTY, input: INPUT });
  const table = ednas(['predict', '--model', model, ...images, '--top', '10']);
  assert.equal(table.status, 0, table.stderr);
  assert.doesNotMatch(
    table.stdout,
    /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/u,
    'no raw control or bidi characters',
  );
  assert.match(table.stdout, /c1\\u\{1b\}\[2J\\u\{1b\}\]0;owned\\u\{7\}/);
  assert.match(table.stdout, /c0\\u\{202e\}txt\.exe/);
  const json = ednas(['predict', '--model', model, ...images, '--json']);
  assert.doesNotMatch(json.stdout, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/u);
  const names = (JSON.parse(json.stdout) as { top: { class: string }[] }[]).flatMap((p) => p.top.map((t) => t.class));
  assert.ok(
    names.every((n) => NASTY.includes(n)),
    'the JSON keeps the exact names',
  );

  // Nine names for ten outputs: refused, not renormalised.
  const file = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8'));
  writeFileSync(join(model, 'model.json'), JSON.stringify({ ...file, classes: NASTY.slice(0, 9) }));
  const nine = ednas(['predict', '--model', model, images[0]]);
  assert.equal(nine.status, 1, nine.stdout);
  assert.match(nine.stderr, /model\.json names 9 classes for a network of 10 outputs: the model is damaged/);
  // NaN weights: refused, exit 1.
  writeFileSync(join(model, 'model.json'), JSON.stringify(file));
  const weights = join(model, 'weights.bin');
  writeFileSync(weights, Buffer.alloc(statSync(weights).size, 0xff));
  const nan = ednas(['predict', '--model', model, images[0]]);
  assert.equal(nan.status, 1, nan.stdout);
  assert.match(
    nan.stderr,
    /the outputs for .* are not finite numbers \(NaN or infinity\): the model's weights are damaged/,
  );

  // ONNX: nine names for ten outputs, and a damaged file.
  const nineOnnx = join(dir, 'nine.onnx');
  writeFileSync(nineOnnx, exportOnnx(net, { classes: NASTY.slice(0, 9), input: INPUT }));
  const r = ednas(['predict', '--model', nineOnnx, images[0]]);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, /nine\.onnx gives 10 outputs but its metadata names 9 classes/);
  const bytes = exportOnnx(net, { classes: NASTY, input: INPUT });
  const broken = join(dir, 'broken.onnx');
  writeFileSync(broken, bytes.subarray(0, bytes.length >> 1));
  const damaged = ednas(['predict', '--model', broken, images[0]]);
  assert.equal(damaged.status, 1);
  assert.match(damaged.stderr, /broken\.onnx is not a readable ONNX model \(the file is damaged or of another kind\)/);
  assert.doesNotMatch(damaged.stderr, /index out of range|wire type/);
  net.dispose();
});

test('predict refuses a folder named like an image, or like an .onnx model, saying so', () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'cat.png'));
  mkdirSync(join(dir, 'model.onnx'));
  const image = ednas(['predict', '--model', join(dir, 'model.onnx'), join(dir, 'cat.png')]);
  assert.equal(image.status, 2);
  assert.match(image.stderr, /cat\.png is a folder, not an image file; give the image files in it/);
  const model = ednas(['predict', '--model', join(dir, 'model.onnx'), images[0]]);
  assert.equal(model.status, 1);
  assert.match(model.stderr, /model\.onnx is a folder, not an \.onnx file/);
});
