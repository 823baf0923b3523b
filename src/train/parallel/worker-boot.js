// A training worker's entry: TypeScript through tsx in this thread too, then the worker itself.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
