// The CIFAR-10 a notebook's data cell opens, in Node: a downloaded copy (`ednas data cifar10`) if there is
// one, else the bundled sample. The browser's counterpart, with the same signature, is open-cifar10-browser.ts.
import { readCifar10 } from './cifar10.ts';
import type { Cifar10 } from './cifar10-decode.ts';
import { resolveCifar10 } from './locate.ts';

export const openCifar10 = async (): Promise<Cifar10> => readCifar10(resolveCifar10().dir);
