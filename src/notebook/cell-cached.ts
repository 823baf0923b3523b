// A cached cell's life (`@cache`): a run whose key (its code and everything upstream) was stored returns
// the stored value without running; a run that ends while still current stores its value.
import type { CellSource } from './parse.ts';
import type { CellCache } from './cache.ts';
import type { CellStatus } from './reactive.ts';

export function cachedRun(cache: CellCache | undefined, source: CellSource, key: string, status: CellStatus) {
  const on = Boolean(source.cache && cache);
  return {
    /** The stored value of this key, if any. */
    hit: (): { value: unknown } | undefined => {
      const found = on ? cache!.get(source.name, key) : { hit: false as const };
      return found.hit ? { value: found.value } : undefined;
    },
    store: (value: unknown, current: boolean): void => {
      if (!on || !current) return;
      cache!.set(source.name, key, value);
      status.cache = 'stored';
    },
  };
}
