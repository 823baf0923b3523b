// Stream output of cells, coalesced as ipykernel does: text written to stdout or stderr is gathered and
// sent as one `stream` message at most every FLUSH_MS (or when STREAM_LIMIT bytes wait), so a burst of
// thousands of lines reaches every client whole instead of overflowing its queues. Anything else a cell
// publishes first flushes what waits, so outputs keep their order.

export const FLUSH_MS = 50;
export const STREAM_LIMIT = 64 * 1024;

type Name = 'stdout' | 'stderr';

export class StreamBuffer<P> {
  private parent: P | undefined;
  private name: Name = 'stdout';
  private text = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly send: (parent: P, name: Name, text: string) => Promise<void>) {}

  write(parent: P, name: Name, text: string): void {
    if (!text) return;
    if (this.text && (parent !== this.parent || name !== this.name)) void this.flush();
    this.parent = parent;
    this.name = name;
    this.text += text;
    if (this.text.length >= STREAM_LIMIT) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  /** Sends what waits now. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.text || this.parent === undefined) return Promise.resolve();
    const text = this.text;
    this.text = '';
    return this.send(this.parent, this.name, text);
  }
}
