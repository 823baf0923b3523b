// What both entries of the library export, Node's (index.ts) and a browser's (browser.ts): everything that
// runs the same in both. Each entry adds what its platform alone can do (backend choice, files, data).
export { parseBackendName, BackendUnavailableError, BACKENDS } from './backend/info.ts';
export type { BackendInfo, BackendName } from './backend/info.ts';
export type { WebGpuAdapter } from './backend/webgpu.ts';
export { OPS, OP_NAMES, isOpName, factorizedReduce, reluConvBN } from './space/ops.ts';
export type { OpName, OpConfig, OpDefinition, Weights, Shapes } from './space/ops.ts';
export { Rng } from './random/rng.ts';
export type { RngState } from './random/rng.ts';
// Data: CIFAR-10 picked from the reader's disk (cifar10FromFiles), splits, batches, augmentation.
export { cifar10FromFiles, encodeCifar10, CIFAR10_CLASSES } from './data/cifar10-decode.ts';
export type { Cifar10, DataFile, NamedBytes } from './data/cifar10-decode.ts';
export { ednasSplit, splitSizes } from './data/split.ts';
export type { EdnasSplit, SplitConfig } from './data/split.ts';
export { makeBatch, batches, batchCount, toTensors } from './data/batches.ts';
export type { Batch, BatchOptions } from './data/batches.ts';
export { SEARCH_AUGMENTATION, EVAL_AUGMENTATION, NO_AUGMENTATION, CIFAR10_MEAN, CIFAR10_STD } from './data/augment.ts';
export type { Augmentation } from './data/augment.ts';
export { subset, classCounts } from './data/image-set.ts';
export type { ImageSet } from './data/image-set.ts';
export { summaryTable, splitTable } from './data/tables.ts';
export { DataError } from './data/errors.ts';
export { imageSetSource } from './data/source.ts';
export type { BatchSource } from './data/source.ts';
export { textTable } from './viz/text-table.ts';
// The search space, the policy and its search.
export {
  genotypeFromJson,
  genotypeToJson,
  genotypeFromDarts,
  genotypeToDarts,
  parseGenotype,
  validateGenotype,
  GenotypeError,
  CELL_TYPES,
} from './space/genotype.ts';
export type { Genotype, Pair, CellType } from './space/genotype.ts';
export { planCells, reductionIndices } from './space/plan.ts';
export { Policy, RnnPolicy, PolicyVectors } from './policy/policy.ts';
export type { PolicyProbabilities, CellProbabilities, RnnProbabilities } from './policy/policy.ts';
export type { PolicyLayout, NodeLayout } from './policy/layout.ts';
export { CNN_LAYOUT } from './policy/cnn-layout.ts';
export { RNN_LAYOUT, RNN_POLICY_SIZE } from './policy/rnn-layout.ts';
export { sampleChild, sampleRnnChild, randomGenotype, randomRnnGenotype, childCode } from './policy/sample.ts';
export type { Child, RnnChild } from './policy/sample.ts';
export { Baseline, Adam, reinforceGradient } from './policy/reinforce.ts';
export {
  deriveArgmax,
  deriveRnnArgmax,
  deriveSampleBest,
  parseDeriveMethod,
  argmaxOfProbabilities,
} from './policy/derive.ts';
export { policyTable, rnnPolicyTable } from './policy/table.ts';
export type { StepRecord } from './policy/policy-search.ts';
export { Supernet } from './supernet/supernet.ts';
export { EvalNetwork, dropPath } from './network/eval-network.ts';
// Training: the contract, SGD, schedules.
export { interruptSignal, setInterruptSignal, PauseGate } from './train/trainer.ts';
export type { TrainingEvent, EpochTrainer, Stage } from './train/trainer.ts';
export { Sgd } from './train/sgd.ts';
export { cosineLr } from './train/schedule.ts';
// The convolutional cell search and evaluation.
export { Search } from './cnn/search.ts';
export type { SearchEvent, EpochRecord, WeightStep, PolicyStep, SearchState } from './cnn/search.ts';
export { PAPER_SEARCH } from './cnn/search-config.ts';
export type { SearchConfig } from './cnn/search-config.ts';
export { SEARCH_PRESETS } from './cnn/presets.ts';
export { Evaluation } from './cnn/evaluation.ts';
export type { EvalEpochRecord, EvalEvent } from './cnn/evaluation.ts';
export { EVAL_PRESETS, PAPER_EVAL_CIFAR } from './cnn/eval-config.ts';
export type { EvalConfig } from './cnn/eval-config.ts';
// Figures, diagrams and reports.
export { cellDiagram, recurrentCellDiagram } from './viz/cell-diagram.ts';
export { heatmapSvg } from './viz/heatmap-svg.ts';
export { activationFigure, activationHeatmapFigure, inputHeatmapFigure, perplexityFigure } from './viz/rnn-figures.ts';
export {
  rewardFigure,
  operationFigure,
  operationHeatmapFigure,
  structureFigure,
  structureHeatmapFigure,
  sliderHeatmap,
  trainingFigure,
  stepFigure,
  comparisonFigure,
  comparisonBarsFigure,
} from './viz/figures.ts';
export type { Figure } from './viz/figures.ts';
export { renderReport } from './report/report.ts';
export { runReport, rnnRunReport } from './report/run-report.ts';
export { from as table } from 'arquero';
// The recurrent cell search (its data: Penn Treebank's text, however it was read, tokenized).
export { tokenize, batchify, bpttBatch, splitTokens, Vocabulary, EOS } from './data/ptb-text.ts';
export type { Ptb, Batchified } from './data/ptb-text.ts';
export {
  ACTIVATIONS,
  RNN_STEPS,
  DARTS_V2_RNN,
  parseRnnGenotype,
  rnnGenotypeToDarts,
  rnnGenotypeToJson,
  validateRnnGenotype,
} from './space/rnn-genotype.ts';
export type { RnnGenotype, RnnPair, Activation } from './space/rnn-genotype.ts';
export { RnnModel, NO_DROPOUT } from './rnn/model.ts';
export type { RnnModelConfig, RnnDropout } from './rnn/model.ts';
export { RnnSearch } from './rnn/search.ts';
export type { RnnEpochRecord, RnnSearchEvent, RnnSearchState } from './rnn/search.ts';
export { RnnEvaluation } from './rnn/evaluation.ts';
export type { RnnEvalEpochRecord, RnnEvalEvent } from './rnn/evaluation.ts';
export { PAPER_RNN_SEARCH, PAPER_RNN_EVAL, RNN_SEARCH_PRESETS, RNN_EVAL_PRESETS } from './rnn/config.ts';
export type { RnnSearchConfig, RnnEvalConfig } from './rnn/config.ts';
// Reactive notebook cells.
export { liveTraining, whenDone, signalFrom } from './notebook/live.ts';
export type { Snapshot } from './notebook/live.ts';
export { Inputs } from './notebook/inputs.ts';
export type { InputSpec, InputKind, InputValue } from './notebook/inputs.ts';
