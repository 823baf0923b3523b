// `ednas predict --model RUN_DIR|FILE.onnx IMAGE...`: the top classes of image files.
import { existsSync, statSync } from 'node:fs';
import { from } from 'arquero';
import { initBackend } from '../backend/select.ts';
import { predictImages } from '../cnn/predict.ts';
import { textTable } from '../viz/text-table.ts';
import { numberOption, parseOptions, UsageError } from './args.ts';

export const PREDICT_HELP = `Usage: ednas predict --model RUN_DIR|MODEL_DIR|FILE.onnx IMAGE... [--top K] [--json]

Classifies image files (PNG, JPEG, WebP, ...) with a trained evaluation network: the model of an ednas
evaluate or ednas run directory (TensorFlow.js), or an ONNX file from ednas export (ONNX Runtime). Each
image is resized and cropped to the model's input size and normalized as its training data was.

  --top K   classes per image (default 5)
  --json    one JSON array instead of a table`;

export async function predictCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions('predict', argv, {
    model: { type: 'string' },
    top: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    console.log(PREDICT_HELP);
    return 0;
  }
  if (!values.model || positionals.length === 0)
    throw new UsageError("give --model and at least one IMAGE. Run 'ednas predict --help'.");
  const missing = positionals.find((p) => !existsSync(p));
  if (missing) throw new UsageError(`no image at ${printable(missing)}`);
  const folder = positionals.find((p) => statSync(p).isDirectory());
  if (folder) {
    const name = printable(folder);
    throw new UsageError(`${name} is a folder, not an image file; give the image files in it (e.g. ${name}/*.png)`);
  }
  const top = numberOption('top', values.top, { min: 1, integer: true }) ?? 5;
  await initBackend();
  const predictions = await predictImages(values.model, positionals, top);
  if (values.json) {
    // JSON escapes C0 controls itself; the rest of the invisible or reordering characters are escaped too.
    const unit = (c: string, i: number) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
    const escapeUnits = (c: string) => [...Array(c.length).keys()].map((i) => unit(c, i)).join('');
    console.log(JSON.stringify(predictions, null, 1).replace(/[\u007f-\u009f\p{Cf}\u2028\u2029]/gu, escapeUnits));
  } else {
    const rows = predictions.flatMap((p) =>
      p.top.map((t, k) => ({
        image: k === 0 ? printable(p.image) : '',
        rank: k + 1,
        class: printable(t.class),
        probability: t.probability,
      })),
    );
    console.log(textTable(from(rows)));
  }
  return 0;
}

/**
 * Text as it may reach a terminal: control and format characters (escape sequences, bidirectional
 * overrides) from a model's class names or a file name are shown as \u{...} escapes, never sent raw.
 */
export const printable = (text: string): string =>
  text.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
