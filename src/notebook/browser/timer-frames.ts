// The Observable runtime pulls a generator cell's next value at the next animation frame. In a Web Worker
// that draws nothing, Chromium's requestAnimationFrame did not tick (a live search showed its first value,
// then nothing until it ended), so it is hidden here and the runtime takes its timer, as in Node. The worker's
// entry (export-live.ts) imports this before anything else, so no module has read it yet.
Object.defineProperty(globalThis, 'requestAnimationFrame', { value: undefined, configurable: true, writable: true });
