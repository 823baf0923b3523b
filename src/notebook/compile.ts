// Turning cell sources into functions: the notebook's imports are loaded once (resolved from the notebook's
// folder, so `from 'ednas'`, relative paths and node: modules work as in the file), and each cell's
// TypeScript is stripped of types and evaluated with those imports in scope.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { CellSource, NotebookImport } from './parse.ts';
import { transpileCell } from './parse.ts';
import { checkInputSpec, DescribeInputs, InputError, Inputs, isInputSpec, type InputSpec } from './inputs.ts';

export type Scope = Record<string, unknown>;

export async function loadImports(imports: NotebookImport[], notebookFile: string): Promise<Scope> {
  const require = createRequire(notebookFile);
  const scope: Scope = {};
  for (const { specifier, bindings } of imports) {
    let url: string;
    try {
      const resolved = require.resolve(specifier);
      url = resolved.startsWith('node:') || !resolved.includes('/') ? resolved : pathToFileURL(resolved).href;
    } catch {
      url = specifier;
    }
    let mod: Record<string, unknown>;
    try {
      mod = await import(url);
    } catch (e) {
      throw new Error(`cannot import '${specifier}' for the notebook ${notebookFile}: ${(e as Error).message}`);
    }
    for (const [local, imported] of Object.entries(bindings)) {
      if (imported !== '*' && imported !== 'default' && !(imported in mod))
        throw new Error(`'${specifier}' has no export named ${imported}`);
      scope[local] = imported === '*' ? mod : imported === 'default' ? (mod.default ?? mod) : mod[imported];
    }
  }
  return scope;
}

/** The cell's definition: a function of its inputs (a value cell becomes a function returning the value). */
export function compileCell(cell: CellSource, scope: Scope): (...inputs: unknown[]) => unknown {
  const js = transpileCell(cell.expression);
  const names = Object.keys(scope);
  let made: unknown;
  try {
    made = new Function(...names, `"use strict"; return (${js});`)(...names.map((n) => scope[n]));
  } catch (e) {
    throw new SyntaxError(`cell ${cell.name}: ${(e as Error).message}`);
  }
  if (cell.isFunction) return made as (...inputs: unknown[]) => unknown;
  return () => made;
}

/** An input cell's declaration, checked (its call evaluated with the describing Inputs). */
export function describeInputCell(source: CellSource, imports: Scope): InputSpec {
  const scope: Scope = Object.fromEntries(
    Object.entries(imports).map(([k, v]) => [k, v === Inputs ? DescribeInputs : v]),
  );
  if (!Object.values(scope).includes(DescribeInputs)) scope.Inputs = DescribeInputs;
  const described = compileCell(source, scope)();
  if (!isInputSpec(described))
    throw new InputError(`input ${source.name}: expected a call of Inputs.${source.input}(...)`);
  return checkInputSpec(source.name, described);
}
