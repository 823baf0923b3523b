// The search control: Start, Pause, Resume and Stop buttons bound to a search (any epoch trainer), with a
// progress bar and a status line. The search runs in the background, so the notebook stays usable;
// Pause holds it before its next step (train/trainer.ts' PauseGate), Resume lets it go on, Stop ends it at
// its next step (an AbortSignal) and leaves it usable, as an interrupt does. Its progress reaches the front
// end as widget updates.
import { PauseGate, type EpochTrainer, type TrainingEvent } from '../../train/trainer.ts';
import { progressBundle } from '../mime.ts';
import { Button, HTML, IntProgress } from './controls.ts';
import { HBox, VBox } from './boxes.ts';

export type ControlState = 'ready' | 'running' | 'paused' | 'stopped' | 'done' | 'failed';

type Trainer = EpochTrainer<unknown, TrainingEvent>;

export class SearchControl extends VBox {
  state: ControlState = 'ready';
  /** The error that ended the run, when it failed. */
  error: Error | undefined;
  private readonly gate = new PauseGate();
  private controller: AbortController | undefined;
  private running: Promise<void> | undefined;
  private lastDraw = 0;
  private readonly observers = new Set<(state: ControlState) => void>();

  private constructor(
    readonly search: Trainer,
    readonly epochs: number,
    readonly startButton: Button,
    readonly pauseButton: Button,
    readonly resumeButton: Button,
    readonly stopButton: Button,
    readonly progress: IntProgress,
    readonly status: HTML,
  ) {
    super([new HBox([startButton, pauseButton, resumeButton, stopButton]), progress, status]);
    startButton.onClick(() => {
      void this.start();
    });
    pauseButton.onClick(() => this.pause());
    resumeButton.onClick(() => this.resume());
    stopButton.onClick(() => this.stop());
    // The search is held at a step boundary: say so only once it is.
    this.gate.onHeld = (held) =>
      this.set(held ? 'paused' : 'running', held ? 'paused before the next step' : 'running');
  }

  static of(search: Trainer, o: { epochs?: number } = {}): SearchControl {
    const epochs = o.epochs ?? search.config.epochs;
    if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`epochs must be a whole number >= 1, got ${epochs}`);
    return new SearchControl(
      search,
      epochs,
      new Button({ description: 'Start', buttonStyle: 'success', icon: 'play' }),
      new Button({ description: 'Pause', icon: 'pause', disabled: true }),
      new Button({ description: 'Resume', icon: 'play', disabled: true }),
      new Button({ description: 'Stop', buttonStyle: 'danger', icon: 'stop', disabled: true }),
      new IntProgress({ description: 'epochs', max: epochs, value: search.epoch, layout: { width: '420px' } }),
      new HTML({ value: SearchControl.line(`ready: epoch ${search.epoch} of ${epochs}`) }),
    );
  }

  private static line(text: string): string {
    return (
      `<span class="ednas-search-status" ` +
      `style="font-family:monospace">${text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</span>`
    );
  }

  /** Calls `observer` whenever the state changes. */
  onState(observer: (state: ControlState) => void): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  private set(state: ControlState, text: string): void {
    this.state = state;
    const active = state === 'running' || state === 'paused';
    this.startButton.disabled = active;
    this.pauseButton.disabled = state !== 'running';
    this.resumeButton.disabled = state !== 'paused';
    this.stopButton.disabled = !active;
    this.status.value = SearchControl.line(text);
    for (const o of [...this.observers]) o(state);
  }

  /** Runs the search to its epochs in the background; resolves when it ends (done, stopped or failed). */
  start(): Promise<void> {
    if (this.running) return this.running;
    const controller = new AbortController();
    this.controller = controller;
    this.gate.resume();
    this.set('running', 'running');
    this.running = (async () => {
      try {
        while (this.search.epoch < this.epochs) {
          await this.search.runEpoch({ signal: controller.signal, pause: this.gate, onEvent: (e) => this.show(e) });
          this.progress.value = this.search.epoch;
        }
        this.progress.barStyle = 'success';
        this.set('done', `done: ${this.search.epoch} epochs`);
      } catch (e) {
        if (controller.signal.aborted)
          this.set('stopped', `stopped during epoch ${this.search.epoch + 1}; the search is usable, Start goes on`);
        else {
          this.error = e as Error;
          this.progress.barStyle = 'danger';
          this.set('failed', `failed: ${(e as Error).message}`);
        }
      } finally {
        this.running = undefined;
        this.controller = undefined;
      }
    })();
    return this.running;
  }

  /** Holds the search before its next step. */
  pause(): void {
    if (this.state !== 'running' || this.gate.paused) return;
    this.gate.pause();
    this.pauseButton.disabled = true;
    this.status.value = SearchControl.line('pausing at the next step');
  }

  resume(): void {
    this.gate.resume();
  }

  /** Ends the run at its next step (a paused search too); resolves once it has ended. */
  async stop(): Promise<void> {
    this.controller?.abort();
    await this.running;
  }

  /** Resolves when the current run ends (at once when none runs). */
  get finished(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  private show(e: TrainingEvent): void {
    const now = Date.now();
    if (e.stage !== 'epoch' && now - this.lastDraw < 250) return;
    this.lastDraw = now;
    if (e.stage === 'epoch') this.progress.value = e.epoch;
    if (this.state === 'running' && !this.gate.paused) this.status.value = progressBundle(e, this.epochs)['text/html'];
  }

  toString(): string {
    return `SearchControl(${this.state}, epoch ${this.search.epoch} of ${this.epochs})`;
  }
}

/** Start, Pause, Resume and Stop for `search`, run to `epochs` (its configured epochs by default). */
export const searchControl = (search: Trainer, o: { epochs?: number } = {}): SearchControl =>
  SearchControl.of(search, o);
