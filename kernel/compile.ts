// A cell's TypeScript to the JavaScript the kernel runs (ours, on the project's TypeScript; tslab's converter
// only type-checks). Every top-level name a cell declares is exported to the session's scope as soon as its
// declaration runs, so what ran before a throw or an interrupt stays bound. Earlier cells' names are read
// through that scope as plain identifiers (no rewriting), so shorthand properties, destructuring and
// closures see them exactly as the checker does. Each top-level statement and await records its line, so an
// interrupt can say where the cell was, and each loop iteration and function call checks for an interrupt; the last
// expression statement's value goes to `__ednas.last`.
import ts from 'typescript';

export interface CompiledCell {
  /** CommonJS body, run as `async function (exports, require, __ednas)`. */
  js: string;
  /** The source map of `js` back to the cell's source (version 3). */
  map: { version: number; sources: string[]; names: string[]; mappings: string };
  /** Top-level value names the cell declares. */
  names: string[];
}

/** The value names one top-level statement declares (type-only declarations declare none). */
export function declaredNames(stmt: ts.Statement): string[] {
  const ambient = ts.getModifiers(stmt as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword);
  if (ambient) return [];
  if (ts.isVariableStatement(stmt)) return stmt.declarationList.declarations.flatMap((d) => bindingNames(d.name));
  if (ts.isFunctionDeclaration(stmt) || ts.isClassDeclaration(stmt)) return stmt.name ? [stmt.name.text] : [];
  if (ts.isEnumDeclaration(stmt)) return [stmt.name.text];
  if (ts.isModuleDeclaration(stmt)) return ts.isIdentifier(stmt.name) ? [stmt.name.text] : [];
  if (ts.isImportEqualsDeclaration(stmt)) return stmt.isTypeOnly ? [] : [stmt.name.text];
  if (ts.isImportDeclaration(stmt)) {
    const c = stmt.importClause;
    if (!c || c.isTypeOnly) return [];
    const out = c.name ? [c.name.text] : [];
    const b = c.namedBindings;
    if (b && ts.isNamespaceImport(b)) out.push(b.name.text);
    if (b && ts.isNamedImports(b)) for (const e of b.elements) if (!e.isTypeOnly) out.push(e.name.text);
    return out;
  }
  return [];
}

function bindingNames(n: ts.BindingName): string[] {
  if (ts.isIdentifier(n)) return [n.text];
  return n.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : bindingNames(e.name)));
}

/** Statements that run nothing (types, ambient declarations, imports): no line marker before them. */
function runsCode(stmt: ts.Statement): boolean {
  if (ts.isInterfaceDeclaration(stmt) || ts.isTypeAliasDeclaration(stmt) || ts.isImportDeclaration(stmt)) return false;
  if (ts.isExportDeclaration(stmt) || ts.isEmptyStatement(stmt)) return false;
  return !ts.getModifiers(stmt as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword);
}

const hook = (f: ts.NodeFactory, name: string, args: ts.Expression[]) =>
  f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier('__ednas'), name), undefined, args);

/** `await x` at the cell's top level (not inside a function) becomes `await __ednas.at(line, x)`. */
function markAwaits(ctx: ts.TransformationContext, sf: ts.SourceFile) {
  const f = ctx.factory;
  const visit = (node: ts.Node): ts.Node => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return node;
    if (ts.isAwaitExpression(node)) {
      const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
      const inner = ts.visitNode(node.expression, visit) as ts.Expression;
      return f.updateAwaitExpression(node, hook(f, 'at', [f.createNumericLiteral(line), inner]));
    }
    return ts.visitEachChild(node, visit, ctx);
  };
  return visit;
}

/** Whether `node` (as parsed) is the body of a function. */
function isFunctionBody(node: ts.Node): boolean {
  const original = ts.getOriginalNode(node);
  const parent = original.parent;
  return parent !== undefined && ts.isFunctionLike(parent) && (parent as ts.FunctionLikeDeclaration).body === original;
}

/**
 * Every loop of the cell, in functions too, calls `__ednas.loop()` at the start of each iteration, and every
 * function the cell defines at its entry (recursion is busy without a loop): it throws once the cell is
 * interrupted, so busy code stops even where no signal handler can run (after an `await`).
 */
function checkLoops(ctx: ts.TransformationContext) {
  const f = ctx.factory;
  const check = () => f.createExpressionStatement(hook(f, 'loop', []));
  const body = (s: ts.Statement) => f.createBlock([check(), s], true);
  const entry = (b: ts.Block) => f.updateBlock(b, [check(), ...b.statements]);
  const visit = (node: ts.Node): ts.Node => {
    const n = ts.visitEachChild(node, visit, ctx);
    if (ts.isWhileStatement(n)) return f.updateWhileStatement(n, n.expression, body(n.statement));
    if (ts.isDoStatement(n)) return f.updateDoStatement(n, body(n.statement), n.expression);
    if (ts.isForStatement(n))
      return f.updateForStatement(n, n.initializer, n.condition, n.incrementor, body(n.statement));
    if (ts.isForInStatement(n)) return f.updateForInStatement(n, n.initializer, n.expression, body(n.statement));
    if (ts.isForOfStatement(n))
      return f.updateForOfStatement(n, n.awaitModifier, n.initializer, n.expression, body(n.statement));
    // A function's body (declaration, expression, arrow, method, accessor, constructor): the check at entry.
    if (ts.isBlock(n) && isFunctionBody(node)) return entry(n);
    if (ts.isArrowFunction(n) && !ts.isBlock(n.body)) {
      const block = f.createBlock([check(), f.createReturnStatement(n.body)], true);
      return f.updateArrowFunction(
        n,
        n.modifiers,
        n.typeParameters,
        n.parameters,
        n.type,
        n.equalsGreaterThanToken,
        block,
      );
    }
    return n;
  };
  return visit;
}

function cellTransformer(sf0: ts.SourceFile): ts.TransformerFactory<ts.SourceFile> {
  return (ctx) => (sf) => {
    const f = ctx.factory;
    const awaits = markAwaits(ctx, sf0);
    const loops = checkLoops(ctx);
    const out: ts.Statement[] = [];
    const last = [...sf.statements].reverse().find(runsCode);
    for (const stmt of sf.statements) {
      if (!runsCode(stmt)) {
        out.push(stmt);
        continue;
      }
      const line = sf0.getLineAndCharacterOfPosition(stmt.getStart(sf0)).line + 1;
      out.push(f.createExpressionStatement(hook(f, 'at', [f.createNumericLiteral(line)])));
      const marked = ts.visitNode(ts.visitNode(stmt, awaits), loops) as ts.Statement;
      if (stmt === last && ts.isExpressionStatement(marked)) {
        out.push(ts.setTextRange(f.createExpressionStatement(hook(f, 'last', [marked.expression])), stmt));
      } else out.push(marked);
    }
    return f.updateSourceFile(sf, out);
  };
}

export function compileCell(source: string, fileName: string): CompiledCell {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const names = [...new Set(sf.statements.flatMap(declaredNames))];
  // Exporting every name makes TypeScript write `exports.x = x` right after each declaration runs.
  const exported = names.length ? `${source}\nexport { ${names.join(', ')} };\n` : `${source}\nexport {};\n`;
  const out = ts.transpileModule(exported, {
    fileName,
    reportDiagnostics: false,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      sourceMap: true,
      inlineSources: false,
      experimentalDecorators: true,
      jsx: ts.JsxEmit.React,
      removeComments: false,
    },
    transformers: { before: [cellTransformer(sf)] },
  });
  const js = out.outputText
    .replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n')
    // TypeScript first sets every exported name to undefined; that would unbind earlier cells' values of
    // names this cell redeclares before its own declarations run. The line stays (empty) for the source map.
    .replace(/^exports\.[\w$]+ = (?:exports\.[\w$]+ = )*void 0;$/gm, '');
  return { js, map: JSON.parse(out.sourceMapText ?? '{}'), names };
}
