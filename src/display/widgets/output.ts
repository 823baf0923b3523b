// The Output widget: a list of outputs (MIME bundles, text) that code appends to and clears; the front end
// renders them with its own renderers. Outputs travel in the model's state (`outputs`), which every
// front end renders, including one showing a saved notebook's widget state.
import { mimeBundle } from '../mime.ts';
import { Widget, type CommonOptions } from './widget.ts';

type OutputRecord = Record<string, unknown>;

export class Output extends Widget {
  constructor(o: Pick<CommonOptions, 'layout' | 'tooltip'> = {}) {
    super('OutputModel', { tooltip: o.tooltip }, o);
  }

  protected writable(): boolean {
    return false;
  }

  get outputs(): readonly OutputRecord[] {
    return this.synced.outputs as OutputRecord[];
  }

  private push(record: OutputRecord): void {
    void this.assign({ outputs: [...this.outputs, record] });
  }

  /** Shows `value` as a cell would (a figure, a table, a genotype, text). */
  append(value: unknown): void {
    this.push({ output_type: 'display_data', data: mimeBundle(value), metadata: {} });
  }

  /** Appends text, as standard output (or standard error). */
  appendText(text: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    this.push({ output_type: 'stream', name: stream, text });
  }

  /** Replaces what it shows by `value`. */
  show(value: unknown): void {
    void this.assign({ outputs: [{ output_type: 'display_data', data: mimeBundle(value), metadata: {} }] });
  }

  clear(): void {
    void this.assign({ outputs: [] });
  }

  toString(): string {
    return `Output(${this.outputs.length} outputs)`;
  }
}
