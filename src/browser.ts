// The EDNAS library in a browser or a Web Worker: what a notebook's cells use, with nothing that needs
// Node (no file system, worker threads, Dawn or readline). A bundler aliases 'ednas' to this file (esbuild:
// platform 'browser'); Node's entry is index.ts. What differs: initBackend picks webgpu or wasm as a page
// can (setWasmPaths says where tfjs' .wasm files are), and openCifar10 fetches (setDataBase says from where).
export * from './library.ts';
export { initBackend, setWasmPaths } from './backend/select-browser.ts';
export { openCifar10, setDataBase, dataBase } from './data/open-cifar10-browser.ts';
export { setPlotlySource } from './display/plotly.ts';
