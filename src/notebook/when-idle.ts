// Waiting for a notebook to settle: the runtime schedules dependents asynchronously, so "idle" counts only
// once it has lasted `quietMs`. The session (in the worker) and the host (its view) both wait this way.
/** What is waited on: Node's EventEmitter or the notebook's own Emitter. */
interface Events {
  on(event: string, listener: () => void): unknown;
  off(event: string, listener: () => void): unknown;
}

/** Resolves once `idle()` has held for `quietMs`, checked again on every `event` of `emitter`. */
export function whenIdle(emitter: Events, event: string, idle: () => boolean, quietMs: number): Promise<void> {
  return new Promise((resolveIdle) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = () => {
      clearTimeout(timer);
      if (!idle()) return;
      timer = setTimeout(() => {
        if (!idle()) return;
        emitter.off(event, check);
        resolveIdle();
      }, quietMs);
    };
    emitter.on(event, check);
    check();
  });
}
