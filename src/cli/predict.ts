// `ednas predict --model RUN_DIR|FILE.onnx IMAGE...`: the top classes of image files.
import { existsSync } from 'node:fs';
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
  const { values, positionals } = parseOptions('predict', argv, { model: { type: 'string' }, top: { type: 'string' }, json: { type: 'boolean' } });
  if (values.help) {
    console.log(PREDICT_HELP);
    return 0;
  }
  if (!values.model || positionals.length === 0) throw new UsageError("give --model and at least one IMAGE. Run 'ednas predict --help'.");
  const missing = positionals.find((p) => !existsSync(p));
  if (missing) throw new UsageError(`no image at ${missing}`);
  const top = numberOption('top', values.top, { min: 1, integer: true }) ?? 5;
  await initBackend();
  const predictions = await predictImages(values.model, positionals, top);
  if (values.json) {
    console.log(JSON.stringify(predictions, null, 1));
  } else {
    const rows = predictions.flatMap((p) => p.top.map((t, k) => ({ image: k === 0 ? p.image : '', rank: k + 1, class: t.class, probability: t.probability })));
    console.log(textTable(from(rows)));
  }
  return 0;
}
