// The public API of the EDNAS library in Node: what runs anywhere (library.ts, shared with browser.ts) and
// what needs Node: the backend's choice among native, Dawn's webgpu and wasm, files (CIFAR-10, PTB, image
// folders, genotypes, run directories, checkpoints, models), downloads, Jupyter display and widgets.
import './backend/preload.ts';
export * from './library.ts';
export { initBackend, registerMissingWasmKernels } from './backend/select.ts';
export { webGpuAdapter, releaseWebGpu, readable } from './backend/webgpu.ts';
export { batchNorm, depthwise, pointwise } from './space/primitives.ts';
export { VERSION } from './version.ts';
// Data from files and downloads.
export { readCifar10, readCifar10Tensors, hasCifar10 } from './data/cifar10.ts';
export type { Cifar10Tensors } from './data/cifar10.ts';
export { openCifar10 } from './data/open-cifar10.ts';
export { readPtb } from './data/ptb.ts';
export {
  scanImageFolder,
  imageFolderBatches,
  decodeImage,
  IMAGENET_TRAIN,
  IMAGENET_EVAL,
} from './data/image-folder.ts';
export type { ImageFolder, ImageTransform } from './data/image-folder.ts';
export { fetchCifar10, fetchPtb, CIFAR10_SOURCE, PTB_SOURCE } from './data/fetch.ts';
export { resolveCifar10, resolvePtb, CIFAR10_SAMPLE, PTB_SAMPLE, DATA_CACHE } from './data/locate.ts';
export { imageFolderSource } from './data/folder-source.ts';
export { readGenotype, readRnnGenotype, readGenotypeFile } from './tasks/genotype-file.ts';
// Run directories and checkpoints; whole runs as the CLI makes them.
export { saveCheckpoint, loadCheckpoint } from './rundir/checkpoint.ts';
export type { Checkpointable } from './train/checkpoint.ts';
export { RunDir } from './rundir/run-dir.ts';
export type { Manifest, TaskName } from './rundir/run-dir.ts';
export { runSearch, runEvaluate } from './cnn/run.ts';
export { loadEvalNetwork, saveModel } from './cnn/model-file.ts';
export type { LoadedModel } from './cnn/model-file.ts';
export { exportOnnx, onnxMetadata } from './cnn/onnx-export.ts';
export { predictImages } from './cnn/predict.ts';
export type { Prediction } from './cnn/predict.ts';
export { runPipeline } from './pipeline/pipeline.ts';
export { reportFromRunDir } from './report/from-run-dir.ts';
export { WeightAverage } from './rnn/asgd.ts';
export { streamLoss } from './rnn/loss.ts';
export { runRnnSearch, runRnnEvaluate } from './rnn/run.ts';
// Notebook display.
export { display, liveProgress, input, clearOutput, openComm, registerCommTarget } from './display/display.ts';
export type { DisplayHandle, ProgressEvent } from './display/display.ts';
export { mimeBundle, figureHtml, progressBundle, PLOTLY_MIME, MIME_BUNDLE } from './display/mime.ts';
export type { Comm, CommData } from './display/hook.ts';
// Jupyter widgets (in the EDNAS kernel; elsewhere they hold their values without a view).
export * from './display/widgets/index.ts';
// Reactive notebooks run from files.
export { NotebookSession, parseSetValue } from './notebook/session.ts';
export type { CellStatus, CellState } from './notebook/session.ts';
export { parseNotebook, parseCell } from './notebook/parse.ts';
export type { CellSource, ParsedNotebook } from './notebook/parse.ts';
