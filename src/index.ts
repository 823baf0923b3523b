// The public API of the EDNAS library.
import './backend/preload.ts';
export { initBackend, parseBackendName, BackendUnavailableError, BACKENDS } from './backend/select.ts';
export type { BackendInfo, BackendName } from './backend/select.ts';
export { webGpuAdapter, releaseWebGpu, readable } from './backend/webgpu.ts';
export type { WebGpuAdapter } from './backend/webgpu.ts';
export { registerMissingWasmKernels } from './backend/select.ts';
export { OPS, OP_NAMES, isOpName, factorizedReduce, reluConvBN } from './space/ops.ts';
export type { OpName, OpConfig, OpDefinition, Weights, Shapes } from './space/ops.ts';
export { batchNorm, depthwise, pointwise } from './space/primitives.ts';
export { VERSION } from './version.ts';
export { Rng } from './random/rng.ts';
export type { RngState } from './random/rng.ts';
export {
  readCifar10,
  readCifar10Tensors,
  hasCifar10,
  encodeCifar10,
  cifar10FromFiles,
  CIFAR10_CLASSES,
} from './data/cifar10.ts';
export type { NamedBytes } from './data/cifar10-decode.ts';
export { openCifar10 } from './data/open-cifar10.ts';
export type { Cifar10, Cifar10Tensors, DataFile } from './data/cifar10.ts';
export { readPtb, tokenize, batchify, bpttBatch, splitTokens, Vocabulary, EOS } from './data/ptb.ts';
export type { Ptb, Batchified } from './data/ptb.ts';
export {
  scanImageFolder,
  imageFolderBatches,
  decodeImage,
  IMAGENET_TRAIN,
  IMAGENET_EVAL,
} from './data/image-folder.ts';
export type { ImageFolder, ImageTransform } from './data/image-folder.ts';
export { ednasSplit, splitSizes } from './data/split.ts';
export type { EdnasSplit, SplitConfig } from './data/split.ts';
export { makeBatch, batches, batchCount, toTensors } from './data/batches.ts';
export type { Batch, BatchOptions } from './data/batches.ts';
export { SEARCH_AUGMENTATION, EVAL_AUGMENTATION, NO_AUGMENTATION, CIFAR10_MEAN, CIFAR10_STD } from './data/augment.ts';
export type { Augmentation } from './data/augment.ts';
export { subset, classCounts } from './data/image-set.ts';
export type { ImageSet } from './data/image-set.ts';
export { fetchCifar10, fetchPtb, CIFAR10_SOURCE, PTB_SOURCE } from './data/fetch.ts';
export { resolveCifar10, resolvePtb, CIFAR10_SAMPLE, PTB_SAMPLE, DATA_CACHE } from './data/locate.ts';
export { summaryTable, splitTable } from './data/tables.ts';
export { DataError } from './data/errors.ts';
export { textTable } from './viz/text-table.ts';
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
export { readGenotype, readRnnGenotype, readGenotypeFile } from './tasks/genotype-file.ts';
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
export { Supernet } from './supernet/supernet.ts';
export { EvalNetwork, dropPath } from './network/eval-network.ts';
// Training, whatever the task: the contract, SGD, schedules, checkpoints, run directories.
export { interruptSignal, setInterruptSignal, PauseGate } from './train/trainer.ts';
export type { TrainingEvent, EpochTrainer, Stage } from './train/trainer.ts';
export { Sgd } from './train/sgd.ts';
export { cosineLr } from './train/schedule.ts';
export { saveCheckpoint, loadCheckpoint } from './rundir/checkpoint.ts';
export type { Checkpointable } from './train/checkpoint.ts';
export { RunDir } from './rundir/run-dir.ts';
export type { Manifest, TaskName } from './rundir/run-dir.ts';
export type { StepRecord } from './policy/policy-search.ts';
// The convolutional cell search on CIFAR-10 (and ImageNet).
export { Search } from './cnn/search.ts';
export type { SearchEvent, EpochRecord, WeightStep, PolicyStep, SearchState } from './cnn/search.ts';
export { PAPER_SEARCH } from './cnn/search-config.ts';
export type { SearchConfig } from './cnn/search-config.ts';
export { SEARCH_PRESETS } from './cnn/presets.ts';
export { Evaluation } from './cnn/evaluation.ts';
export type { EvalEpochRecord, EvalEvent } from './cnn/evaluation.ts';
export { EVAL_PRESETS, PAPER_EVAL_CIFAR } from './cnn/eval-config.ts';
export type { EvalConfig } from './cnn/eval-config.ts';
export { runSearch, runEvaluate } from './cnn/run.ts';
export { loadEvalNetwork, saveModel } from './cnn/model-file.ts';
export type { LoadedModel } from './cnn/model-file.ts';
export { exportOnnx, onnxMetadata } from './cnn/onnx-export.ts';
export { predictImages } from './cnn/predict.ts';
export type { Prediction } from './cnn/predict.ts';
export { runPipeline } from './pipeline/pipeline.ts';
export { imageSetSource } from './data/source.ts';
export { imageFolderSource } from './data/folder-source.ts';
export type { BatchSource } from './data/source.ts';
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
export { reportFromRunDir } from './report/from-run-dir.ts';
// The recurrent cell search on Penn Treebank.
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
export { WeightAverage } from './rnn/asgd.ts';
export { streamLoss } from './rnn/loss.ts';
export { PAPER_RNN_SEARCH, PAPER_RNN_EVAL, RNN_SEARCH_PRESETS, RNN_EVAL_PRESETS } from './rnn/config.ts';
export type { RnnSearchConfig, RnnEvalConfig } from './rnn/config.ts';
export { runRnnSearch, runRnnEvaluate } from './rnn/run.ts';
// Notebook display.
export { display, liveProgress, input, clearOutput, openComm, registerCommTarget } from './display/display.ts';
export type { DisplayHandle, ProgressEvent } from './display/display.ts';
export { mimeBundle, figureHtml, progressBundle, PLOTLY_MIME, MIME_BUNDLE } from './display/mime.ts';
export type { Comm, CommData } from './display/hook.ts';
// Jupyter widgets (in the EDNAS kernel; elsewhere they hold their values without a view).
export * from './display/widgets/index.ts';
export { from as table } from 'arquero';
// Reactive notebooks.
export { liveTraining, whenDone, signalFrom } from './notebook/live.ts';
export type { Snapshot } from './notebook/live.ts';
export { NotebookSession, parseSetValue } from './notebook/session.ts';
export type { CellStatus, CellState } from './notebook/session.ts';
export { parseNotebook, parseCell } from './notebook/parse.ts';
export { Inputs } from './notebook/inputs.ts';
export type { InputSpec, InputKind, InputValue } from './notebook/inputs.ts';
export type { CellSource, ParsedNotebook } from './notebook/parse.ts';
