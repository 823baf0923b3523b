// A whole search as the CLI and the main job run it: data, supernet, epochs with a checkpoint after each,
// tables, derivation, all in one run directory; resumable from its last checkpoint.
import { join } from 'node:path';
import { initBackend } from '../backend/select.ts';
import { readCifar10 } from '../data/cifar10.ts';
import { resolveCifar10 } from '../data/locate.ts';
import type { Genotype } from '../space/genotype.ts';
import { loadCheckpoint, readCheckpointConfig, saveCheckpoint } from './checkpoint.ts';
import { openRunDir, resumedDataDir, startManifest, trainInRunDir, writeGenotype, writeSearchTables, type Manifest, type RunOptions } from './run-dir.ts';
import { Search, type EpochRecord, type SearchEvent } from './search.ts';
import type { SearchConfig } from './search-config.ts';

export interface RunSearchOptions extends RunOptions<SearchEvent, EpochRecord> {
  config: SearchConfig;
}

export interface SearchResult {
  dir: string;
  genotype: Genotype;
  search: Search;
  manifest: Manifest;
}

export async function runSearch(o: RunSearchOptions): Promise<SearchResult> {
  const checkpointDir = join(o.out, 'checkpoint');
  const { config, manifest: previous } = openRunDir(o, o.config, () => readCheckpointConfig(checkpointDir));
  const backend = await initBackend();
  const located = resolveCifar10(resumedDataDir(o, previous));
  const cifar = readCifar10(located.dir);
  const search = new Search(config, cifar.train);
  if (o.resume) loadCheckpoint(checkpointDir, search);
  const manifest = startManifest(previous, () => ({
    kind: 'search', command: o.command ?? 'ednas search', preset: o.preset, seed: config.seed,
    data: { dir: cifar.dir, source: located.source, files: cifar.files }, started: new Date().toISOString(),
  }), config, backend);
  let genotype: Genotype | undefined;
  const finished = await trainInRunDir(o, search, config.epochs, manifest, () => {
    saveCheckpoint(checkpointDir, search);
    writeSearchTables(o.out, search);
  }, async () => {
    genotype = await search.derive();
    writeGenotype(o.out, genotype);
    const last = search.epochs.at(-1);
    return { epochs: search.epoch, mean_reward: last?.mean_reward, entropy: last?.entropy, derive: config.derive };
  });
  return { dir: o.out, genotype: genotype!, search, manifest: finished };
}
