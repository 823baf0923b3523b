/**
 * # The recurrent cell on Penn Treebank, as a reactive notebook
 *
 * The PTB half of EDNAS: a policy over the recurrent cell (one input and one activation per node),
 * rewarded with 80 / perplexity. The first cells are inputs: move `hidden`, a learning rate or the entropy
 * weight and only the search and what follows re-run (the corpus is read once). The perplexities of the
 * derived and a random cell are lazy: they wait, stale, until you run them.
 */
import { Inputs, initBackend, readPtb, resolvePtb, RnnSearch, RNN_SEARCH_PRESETS, RnnEvaluation, RNN_EVAL_PRESETS, randomRnnGenotype, Rng, liveTraining, whenDone, rewardFigure, table } from 'ednas';
import type { Ptb, RnnSearchConfig, RnnEpochRecord, RnnGenotype, Snapshot } from 'ednas';

type SearchSnapshot = Snapshot<RnnEpochRecord> & { genotype?: RnnGenotype };

/** Embedding = hidden size of the language model. */
export const hidden = Inputs.range([8, 64], { value: 16, step: 8, label: 'hidden size' });

/** The weight phase's SGD learning rate (DARTS: 20, clipped gradients). */
export const lr = Inputs.range([1, 40], { value: 20, step: 1, label: 'weight learning rate' });

/** The policy's Adam step size. */
export const policyLr = Inputs.range([0.001, 0.5], { value: 0.05, step: 0.001, label: 'policy learning rate' });

/** h, the weight of the entropy bonus in the policy's loss. */
export const entropyWeight = Inputs.range([0, 0.1], { value: 0, step: 0.001, label: 'entropy weight' });

/** Epochs of the search. */
export const epochs = Inputs.range([1, 10], { value: 2, step: 1, label: 'search epochs' });

/** The `ptb-quick` preset, cut down so the notebook runs in well under a minute. */
export const config = (hidden: number, lr: number, policyLr: number, entropyWeight: number, epochs: number): RnnSearchConfig => ({
  ...RNN_SEARCH_PRESETS['ptb-quick'].config, hidden, lr, policyLr, entropyWeight, epochs, weightSteps: 15, policySteps: 8,
});

/** Penn Treebank: a downloaded copy (`ednas data ptb`) if there is one, else the bundled slice. */
export const corpus = async (): Promise<Ptb> => {
  await initBackend();
  return readPtb(resolvePtb().dir);
};

/** Sizes of the corpus. */
export const sizes = (corpus: Ptb) => table([{ vocabulary: corpus.vocabulary.size, train: corpus.train.length, valid: corpus.valid.length, test: corpus.test.length }]);

/** @cache
 * The search, live. */
export const search = (corpus: Ptb, config: RnnSearchConfig, invalidation: Promise<void>) => {
  const s = new RnnSearch(config, corpus.train, corpus.vocabulary.size);
  return liveTraining(s, { invalidation, intervalMs: 500, finish: async () => ({ genotype: await s.derive() }) });
};

/** Reward (80 / perplexity), baseline and entropy per epoch. */
export const rewards = (search: SearchSnapshot) => rewardFigure(search.epochs);

/** The derived recurrent cell. */
export const genotype = async (search: SearchSnapshot, invalidation: Promise<void>): Promise<RnnGenotype> => (await whenDone(search, invalidation)).genotype!;

/**
 * @lazy
 * Validation perplexity of the derived cell and a random one, trained from scratch for one short epoch.
 */
export const perplexities = async (genotype: RnnGenotype, corpus: Ptb, hidden: number) => {
  const settings = { ...RNN_EVAL_PRESETS['ptb-quick'].config, hidden, epochs: 1, trainLimit: 8000, validLimit: 2000, averageFrom: 1 };
  const rows = [];
  for (const [cell, g] of [['derived', genotype], ['random', randomRnnGenotype(new Rng(1))]] as const) {
    const ev = new RnnEvaluation(g, settings, { ...corpus, vocabulary: corpus.vocabulary.size });
    rows.push({ cell, valid_ppl: (await ev.runEpoch()).valid_ppl });
    ev.dispose();
  }
  return table(rows);
};
