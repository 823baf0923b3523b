// A live export's page query sets cells as `--set` does (`?epochs=1`). A parameter the notebook cannot take
// (no cell of that name, a value outside an input's range) is reported and left out: a mistyped link still
// opens the notebook, with that cell as the notebook declares it. One that replaces a computed cell is taken,
// and said: the cell's own work (setting up the backend, say) is then not done.
import { checkInputSpec, inputValueFromText } from '../inputs.ts';
import type { LiveNotebook } from './worker.ts';

/** The query's settings the notebook can take; `report` hears why each other one is left out, and of each
 * one taken that replaces a computed cell. */
export function checkedQuery(
  query: ReadonlyMap<string, string>,
  notebook: LiveNotebook,
  report: (message: string) => void,
): Map<string, string> {
  const names = notebook.cells.map((c) => c.name);
  const taken = new Map<string, string>();
  for (const [name, raw] of query) {
    const leftOut = (why: string, fix: string) => report(`the link's ?${name}=${raw} is left out: ${why}. ${fix}`);
    const spec = notebook.inputs[name];
    if (!names.includes(name)) {
      leftOut(`the notebook has no cell named ${name}; its cells are ${names.join(', ')}`, 'Correct the address.');
    } else if (spec?.kind === 'file') {
      leftOut(`${name} takes files, which a link cannot carry`, "Pick them with the cell's control.");
    } else {
      try {
        if (spec) inputValueFromText(name, checkInputSpec(name, spec), raw);
        taken.set(name, raw);
        if (notebook.cells.find((c) => c.name === name)?.isFunction)
          report(
            `the link's ?${name}=${raw} replaces what the cell ${name} computes: the cells that read it get ` +
              `this value, and ${name}'s own work is not done. Leave it out of the address to compute it.`,
          );
      } catch (e) {
        leftOut((e as Error).message, "Change it in the address, or with the cell's control.");
      }
    }
  }
  return taken;
}
