// `ednas params`: parameter counts of the evaluation network for a genotype, as DARTS counts them.
import { readGenotype, readRnnGenotype } from '../tasks/genotype-file.ts';
import { initBackend } from '../backend/select.ts';
import { EvalNetwork } from '../network/eval-network.ts';
import { Rng } from '../random/rng.ts';
import { RnnModel } from '../rnn/model.ts';
import { numberOption, parseOptions, UsageError } from './args.ts';

export const PARAMS_HELP = `Usage: ednas params --genotype FILE [--channels C] [--layers L] [--imagenet]
       ednas params --rnn --genotype FILE [--hidden H] [--vocabulary V]

Prints {"params": N, "params_with_aux": M} for the evaluation network built from the genotype
(JSON or DARTS' Python form). Defaults: CIFAR C=36, L=20; --imagenet: C=48, L=14, 1000 classes.
With --rnn: {"params": N} of the PTB language model of a recurrent genotype (embedding tied to the
decoder, as DARTS counts); defaults --hidden 850, --vocabulary 10000 (Penn Treebank).`;

export async function paramsCommand(argv: string[]): Promise<number> {
  const { values } = parseOptions('params', argv, {
    genotype: { type: 'string' },
    channels: { type: 'string' },
    layers: { type: 'string' },
    imagenet: { type: 'boolean' },
    rnn: { type: 'boolean' },
    hidden: { type: 'string' },
    vocabulary: { type: 'string' },
  });
  if (values.help) {
    console.log(PARAMS_HELP);
    return 0;
  }
  if (!values.genotype) throw new UsageError("--genotype FILE is required. Run 'ednas params --help'.");
  if (values.rnn) {
    const genotype = readRnnGenotype(values.genotype);
    const hidden = numberOption('hidden', values.hidden, { min: 1, integer: true }) ?? 850;
    const vocabulary = numberOption('vocabulary', values.vocabulary, { min: 2, integer: true }) ?? 10000;
    await initBackend('cpu');
    const model = new RnnModel({ hidden, vocabulary }, new Rng(0));
    console.log(
      JSON.stringify({ params: model.parameterCount(), hidden, vocabulary, nodes: genotype.recurrent.length }),
    );
    model.dispose();
    return 0;
  }
  const genotype = readGenotype(values.genotype);
  const imagenet = values.imagenet ?? false;
  const C = numberOption('channels', values.channels, { min: 2, integer: true }) ?? (imagenet ? 48 : 36);
  const layers = numberOption('layers', values.layers, { min: 3, integer: true }) ?? (imagenet ? 14 : 20);
  // Counting needs only shapes; the cpu backend avoids loading wasm for it.
  await initBackend('cpu');
  const net = new EvalNetwork(
    genotype,
    { C, layers, classes: imagenet ? 1000 : 10, auxiliary: true, imagenet },
    new Rng(0),
  );
  console.log(JSON.stringify(net.parameterCount()));
  net.dispose();
  return 0;
}
