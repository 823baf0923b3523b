// A small event emitter for the code that also runs in a browser (the session, the Web Worker): on, off
// and emit, as much of Node's EventEmitter as the notebook uses.
type Listener = (...args: never[]) => void;

export class Emitter {
  private readonly listeners = new Map<string, Set<Listener>>();

  on(event: string, listener: Listener): this {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return this;
  }

  off(event: string, listener: Listener): this {
    this.listeners.get(event)?.delete(listener);
    return this;
  }

  emit(event: string, ...args: unknown[]): boolean {
    const set = this.listeners.get(event);
    for (const l of [...(set ?? [])]) (l as (...a: unknown[]) => void)(...args);
    return Boolean(set?.size);
  }

  removeAllListeners(): this {
    this.listeners.clear();
    return this;
  }
}
