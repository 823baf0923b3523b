// Loads TensorFlow.js with Node's source-map support switched off. tfjs ships a 5.7 MB source map that
// Node would otherwise parse into about 55 MB of heap whenever source maps are on (tsx turns them on).
// Import this module first; it loads synchronously so nothing else can load tfjs before it.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const enabled = process.sourceMapsEnabled;
process.setSourceMapsEnabled(false);
try {
  require('@tensorflow/tfjs');
  require('@tensorflow/tfjs-backend-wasm');
} finally {
  process.setSourceMapsEnabled(enabled);
}
