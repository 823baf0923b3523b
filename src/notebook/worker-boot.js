// The cell process's entry: TypeScript through tsx in this process too, then the worker itself.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
