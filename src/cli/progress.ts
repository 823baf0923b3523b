// A progress bar on stderr. On a terminal it redraws one line; in a log (not a TTY) it prints a line at
// each tenth of the way, so CI logs stay short.
export class ProgressBar {
  private lastTenth = -1;
  private drawn = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  update(label: string, done: number, total: number | undefined, detail = ''): void {
    const fraction = total ? Math.min(1, done / total) : undefined;
    const count = total ? `${done}/${total}` : `${done}`;
    if (this.stream.isTTY) {
      const bar = fraction === undefined ? '' : `[${'#'.repeat(Math.round(fraction * 24)).padEnd(24, '.')}] `;
      const text = `${label} ${bar}${count} ${detail}`.slice(0, (this.stream.columns ?? 100) - 1);
      this.stream.write(`\r${text}\x1b[K`);
      this.drawn = true;
    } else if (fraction !== undefined) {
      const tenth = Math.floor(fraction * 10);
      if (tenth > this.lastTenth) {
        this.lastTenth = tenth;
        this.stream.write(`${label} ${Math.round(fraction * 100)}% ${count} ${detail}\n`);
      }
    }
  }

  /** Ends the bar's line (call before printing anything else). */
  finish(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
    this.lastTenth = -1;
  }
}

/** Bytes as a short human string. */
export const formatBytes = (n: number): string =>
  n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`;
