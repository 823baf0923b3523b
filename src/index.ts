// The public API of the EDNAS library.
export { initBackend, parseBackendName, BackendUnavailableError, BACKENDS } from './backend/select.ts';
export type { BackendInfo, BackendName } from './backend/select.ts';
export { registerMissingWasmKernels } from './backend/kernels/register.ts';
export { OPS, OP_NAMES, isOpName, factorizedReduce, reluConvBN } from './space/ops.ts';
export type { OpName, OpConfig, OpDefinition, Weights, Shapes } from './space/ops.ts';
export { batchNorm, depthwise, pointwise } from './space/primitives.ts';
export { VERSION } from './version.ts';
