// Rich display for notebooks: `display(value)` shows a figure, table or genotype in the notebook (as text
// outside one), and `liveProgress()` turns the event stream of a search or training into one output that
// updates in place, not a thousand lines.
import { kernelHook } from './hook.ts';
import { mimeBundle } from './mime.ts';

let displays = 0;

export interface DisplayHandle {
  /** Replaces the output in place with a new value. */
  update(value: unknown): void;
}

/** Shows `value` in the notebook now (like IPython's display); the handle updates that same output. */
export function display(value: unknown): DisplayHandle {
  const displayId = `ednas-${process.pid}-${++displays}`;
  const send = (v: unknown, update: boolean) => {
    const hook = kernelHook();
    const data = mimeBundle(v);
    if (hook) hook.display({ data, displayId, update });
    else console.log(String(data['text/plain']));
  };
  send(value, false);
  return { update: (v) => send(v, true) };
}

/** What training reports (`SearchEvent`, `EvalEvent`, their PTB forms). */
export interface ProgressEvent {
  stage: string;
  epoch: number;
  step: number;
  total: number;
  metrics: Record<string, unknown>;
}

const fmt = (v: unknown) => (typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(4)) : String(v));
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** One progress line as text and as an HTML bar. */
export function progressBundle(e: ProgressEvent, epochs?: number): Record<string, string> {
  const metrics = Object.entries(e.metrics).filter(([k, v]) => typeof v === 'number' && !['epoch', 'tensors', 'peak_rss_mb'].includes(k)).slice(0, 6);
  const head = e.stage === 'epoch' ? `epoch ${e.epoch}${epochs ? `/${epochs}` : ''} done` : `epoch ${e.epoch}${epochs ? `/${epochs}` : ''} ${e.stage} ${e.step}/${e.total}`;
  const text = `${head}  ${metrics.map(([k, v]) => `${k} ${fmt(v)}`).join('  ')}`;
  const html = `<div class="ednas-progress" style="font-family:monospace"><progress value="${e.step}" max="${Math.max(1, e.total)}" style="width:240px"></progress> ` +
    `${esc(head)} <span style="opacity:.8">${esc(metrics.map(([k, v]) => `${k} ${fmt(v)}`).join(' · '))}</span></div>`;
  return { 'text/plain': text, 'text/html': html };
}

/**
 * An `onEvent` callback that keeps one live progress output (updated at most every `intervalMs`, and at
 * every epoch end). In a terminal it prints a line per epoch.
 */
export function liveProgress(o: { epochs?: number; intervalMs?: number } = {}): (e: ProgressEvent) => void {
  const displayId = `ednas-progress-${process.pid}-${++displays}`;
  let last = 0;
  let started = false;
  return (e) => {
    const hook = kernelHook();
    const now = Date.now();
    const epochEnd = e.stage === 'epoch';
    if (!hook) {
      if (epochEnd) console.log(progressBundle(e, o.epochs)['text/plain']);
      return;
    }
    if (!epochEnd && started && now - last < (o.intervalMs ?? 250)) return;
    last = now;
    hook.display({ data: progressBundle(e, o.epochs), displayId, update: started });
    started = true;
  };
}
