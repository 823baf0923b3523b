// A whole search as the CLI and the main job run it: data, supernet, epochs with a checkpoint after each,
// tables, derivation, all in one run directory; resumable from its last checkpoint.
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { initBackend } from '../backend/select.ts';
import { readCifar10 } from '../data/cifar10.ts';
import { resolveCifar10 } from '../data/locate.ts';
import type { Genotype } from '../space/genotype.ts';
import { loadCheckpoint, readCheckpointConfig, saveCheckpoint } from './checkpoint.ts';
import { assertFreshRunDir, describeEnvironment, readManifest, writeGenotype, writeManifest, writeSearchTables, type Manifest, type RunOptions } from './run-dir.ts';
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
  let config = o.config;
  let manifest: Manifest | undefined;
  if (o.resume) {
    config = { ...readCheckpointConfig(checkpointDir), epochs: o.config.epochs };
    manifest = readManifest(o.out);
  } else {
    assertFreshRunDir(o.out);
  }
  const backend = await initBackend();
  const located = resolveCifar10(o.data ?? (manifest?.data.source === 'given' ? manifest.data.dir : undefined));
  const cifar = readCifar10(located.dir);
  const search = new Search(config, cifar.train);
  if (o.resume) loadCheckpoint(checkpointDir, search);
  const started = Date.now();
  manifest = {
    ...(manifest ?? {
      kind: 'search',
      command: o.command ?? 'ednas search',
      preset: o.preset,
      seed: config.seed,
      data: { dir: cifar.dir, source: located.source, files: cifar.files },
      started: new Date(started).toISOString(),
    }),
    config,
    status: 'running',
    ...describeEnvironment(backend),
  } as Manifest;
  mkdirSync(o.out, { recursive: true });
  writeManifest(o.out, manifest);
  try {
    while (search.epoch < config.epochs) {
      const record = await search.runEpoch({ signal: o.signal, onEvent: o.onEvent });
      saveCheckpoint(checkpointDir, search);
      writeSearchTables(o.out, search);
      o.onEpoch?.(record);
    }
    const genotype = await search.derive();
    writeGenotype(o.out, genotype);
    const last = search.epochs[search.epochs.length - 1];
    manifest = {
      ...manifest, status: 'finished', finished: new Date().toISOString(),
      wall_s: search.epochs.reduce((s, e) => s + e.wall_s, 0),
      result: { epochs: search.epoch, mean_reward: last?.mean_reward, entropy: last?.entropy, derive: config.derive },
    };
    writeManifest(o.out, manifest);
    return { dir: o.out, genotype, search, manifest };
  } catch (e) {
    writeManifest(o.out, { ...manifest, status: (e as Error).name === 'AbortError' ? 'cancelled' : 'failed' });
    search.dispose();
    throw e;
  }
}
