// The reactive notebook format: a TypeScript module whose exported definitions are the cells. A cell's
// inputs are its parameter names (`export const split = (dataset, config) => ...`); an exported constant
// that is not a function is a value cell (`export const lr = 0.05`). The doc comment before a cell is its
// Markdown prose; `@cache` in it caches the cell's value on disk, `@lazy` holds the cell back when its
// inputs change until it is run by hand (on the page). A cell defined by a call of `Inputs.range(...)`
// (or number, select, checkbox, text, button; see inputs.ts) is an input cell: a control on the page.
// The file's first comment is the notebook's introduction.
import ts from 'typescript';
import type { InputKind } from './inputs.ts';

const INPUT_KINDS: readonly string[] = [
  'range',
  'number',
  'select',
  'checkbox',
  'text',
  'button',
  'file',
] satisfies InputKind[];

export interface NotebookImport {
  specifier: string;
  /** Local name -> imported name ('*' for a namespace import, 'default' for a default import). */
  bindings: Record<string, string>;
}

export interface CellSource {
  name: string;
  inputs: string[];
  /** The whole statement as written (what the page's editor shows and saving writes back). */
  text: string;
  /** The expression that defines the cell, as TypeScript (a function, or the value of a value cell). */
  expression: string;
  /** Whether `expression` is a function whose parameters are the inputs (else a constant). */
  isFunction: boolean;
  prose: string;
  cache: boolean;
  /** Held back when its inputs change, until run by hand (`@lazy`). */
  lazy: boolean;
  /** An input cell: the Inputs function its value comes from. */
  input?: InputKind;
  /** Offsets of `text` in the file. */
  start: number;
  end: number;
  /** Held back instead of run, with this message as its error (a cell that did not stop when interrupted). */
  stopped?: string;
}

export interface ParsedNotebook {
  intro: string;
  imports: NotebookImport[];
  cells: CellSource[];
}

export class NotebookSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotebookSyntaxError';
  }
}

/** Markdown from a comment: /** ... *\/ with leading stars removed, or // lines. */
function commentText(raw: string): string {
  if (raw.startsWith('//')) return raw.replace(/^\/\/ ?/, '');
  return raw
    .replace(/^\/\*\*?/, '')
    .replace(/\*\/$/, '')
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, ''))
    .join('\n')
    .trim();
}

const isExported = (node: ts.Node) =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

const paramNames = (params: ts.NodeArray<ts.ParameterDeclaration>, name: string, sf: ts.SourceFile) =>
  params.map((p) => {
    if (!ts.isIdentifier(p.name))
      throw new NotebookSyntaxError(
        `cell ${name}: every parameter must be a plain name (the cell it reads), got ${p.name.getText(sf)}`,
      );
    return p.name.text;
  });

export function parseNotebook(source: string, fileName = 'notebook.ts'): ParsedNotebook {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const problems = (sf as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics ?? [];
  if (problems.length) {
    const d = problems[0];
    const { line, character } = sf.getLineAndCharacterOfPosition(d.start ?? 0);
    throw new NotebookSyntaxError(
      `${fileName}:${line + 1}:${character + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
    );
  }
  const imports: NotebookImport[] = [];
  const cells: CellSource[] = [];
  const leading = (node: ts.Node) =>
    (ts.getLeadingCommentRanges(source, node.getFullStart()) ?? []).map((r) => source.slice(r.pos, r.end));
  const first = sf.statements[0];
  const introComments = first ? leading(first) : [];
  // The introduction is the file's first comment when another comment (the first cell's) follows it, or
  // when the first statement is an import.
  const intro =
    introComments.length && (introComments.length > 1 || (first && ts.isImportDeclaration(first)))
      ? commentText(introComments[0])
      : '';
  // The local names of `Inputs` (import { Inputs } from 'ednas', or under another name).
  const inputNames = new Set<string>();
  for (const st of sf.statements) {
    const named = ts.isImportDeclaration(st) ? st.importClause?.namedBindings : undefined;
    if (named && ts.isNamedImports(named))
      for (const e of named.elements) if ((e.propertyName ?? e.name).text === 'Inputs') inputNames.add(e.name.text);
  }
  if (inputNames.size === 0) inputNames.add('Inputs');
  const inputKind = (init: ts.Expression): InputKind | undefined => {
    if (!ts.isCallExpression(init) || !ts.isPropertyAccessExpression(init.expression)) return undefined;
    const { expression: owner, name } = init.expression;
    return ts.isIdentifier(owner) && inputNames.has(owner.text) && INPUT_KINDS.includes(name.text)
      ? (name.text as InputKind)
      : undefined;
  };
  for (const st of sf.statements) {
    const comments = leading(st).filter((c) => st !== first || !intro || commentText(c) !== intro);
    const prose = comments
      .map(commentText)
      .join('\n\n')
      .replace(/^\s*@(cache|lazy)\s*$/gm, '')
      .replace(/^\s*@(cache|lazy)\s+/, '')
      .trim();
    const cache = comments.some((c) => /@cache\b/.test(c));
    const lazy = comments.some((c) => /@lazy\b/.test(c));
    const text = source.slice(st.getStart(sf), st.end);
    if (ts.isImportDeclaration(st)) {
      if (st.importClause?.isTypeOnly) continue;
      const bindings: Record<string, string> = {};
      const clause = st.importClause;
      if (clause?.name) bindings[clause.name.text] = 'default';
      const named = clause?.namedBindings;
      if (named && ts.isNamespaceImport(named)) bindings[named.name.text] = '*';
      if (named && ts.isNamedImports(named))
        for (const e of named.elements) if (!e.isTypeOnly) bindings[e.name.text] = (e.propertyName ?? e.name).text;
      imports.push({ specifier: (st.moduleSpecifier as ts.StringLiteral).text, bindings });
      continue;
    }
    if (!isExported(st)) continue;
    if (ts.isFunctionDeclaration(st) && st.name) {
      const name = st.name.text;
      const body = text.replace(/^export\s+/, '');
      cells.push({
        name,
        inputs: paramNames(st.parameters, name, sf),
        text,
        expression: body,
        isFunction: true,
        prose,
        cache,
        lazy,
        start: st.getStart(sf),
        end: st.end,
      });
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (!ts.isIdentifier(d.name) || !d.initializer)
          throw new NotebookSyntaxError(`an exported cell needs a name and a definition: ${text.slice(0, 60)}`);
        const name = d.name.text;
        let init: ts.Expression = d.initializer;
        while (ts.isParenthesizedExpression(init) || ts.isAsExpression(init) || ts.isSatisfiesExpression(init))
          init = init.expression;
        const isFunction = ts.isArrowFunction(init) || ts.isFunctionExpression(init);
        const inputs = isFunction
          ? paramNames((init as ts.ArrowFunction | ts.FunctionExpression).parameters, name, sf)
          : [];
        cells.push({
          name,
          inputs,
          text,
          expression: d.initializer.getText(sf),
          isFunction,
          prose,
          cache,
          lazy,
          input: isFunction ? undefined : inputKind(init),
          start: st.getStart(sf),
          end: st.end,
        });
      }
    }
  }
  return { intro, imports, cells };
}

/** One cell from the text of its statement (an edit in the page). */
export function parseCell(text: string): CellSource {
  const { cells } = parseNotebook(text, 'cell.ts');
  if (cells.length !== 1)
    throw new NotebookSyntaxError(`a cell is one exported definition (export const name = ...), found ${cells.length}`);
  return cells[0];
}

/** TypeScript to JavaScript for one cell expression (types stripped, nothing else changed). */
export function transpileCell(expression: string): string {
  const out = ts.transpileModule(`(${expression});`, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    reportDiagnostics: false,
  });
  return out.outputText
    .trim()
    .replace(/;$/, '')
    .replace(/\/\/# sourceMappingURL=.*$/, '')
    .trim()
    .replace(/;$/, '');
}
