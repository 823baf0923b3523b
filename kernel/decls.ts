// The declarations the notebook's type checker knows after a cell that failed part-way: the new declarations
// of names the cell did bind, and the earlier declarations of names it did not get to (as Python keeps a
// module's globals when a cell raises).
import ts from 'typescript';

const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed });

/** The statements of a declaration text that declare a kept name (interfaces and type aliases only when `types`). */
export function keepDecls(text: string, keep: (name: string) => boolean, types: boolean): string {
  const sf = ts.createSourceFile('decls.d.ts', text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const f = ts.factory;
  const out: string[] = [];
  const print = (n: ts.Node) => out.push(printer.printNode(ts.EmitHint.Unspecified, n, sf));
  for (const s of sf.statements) {
    if (ts.isExportDeclaration(s) || ts.isExportAssignment(s)) continue;
    if (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) {
      if (types && keep(s.name.text)) print(s);
    } else if (ts.isVariableStatement(s)) {
      const kept = s.declarationList.declarations.filter((d) => ts.isIdentifier(d.name) && keep(d.name.text));
      if (kept.length)
        print(f.updateVariableStatement(s, s.modifiers, f.updateVariableDeclarationList(s.declarationList, kept)));
    } else if (ts.isImportDeclaration(s) && s.importClause) {
      const c = s.importClause;
      const name = c.name && keep(c.name.text) ? c.name : undefined;
      let bindings = c.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings) && !keep(bindings.name.text)) bindings = undefined;
      if (bindings && ts.isNamedImports(bindings)) {
        const elements = bindings.elements.filter((e) => keep(e.name.text));
        bindings = elements.length ? f.updateNamedImports(bindings, elements) : undefined;
      }
      if (name || bindings) {
        print(
          f.updateImportDeclaration(
            s,
            s.modifiers,
            f.updateImportClause(c, c.isTypeOnly, name, bindings),
            s.moduleSpecifier,
            s.attributes,
          ),
        );
      }
    } else if (ts.isImportEqualsDeclaration(s)) {
      if (keep(s.name.text)) print(s);
    } else {
      const named = s as ts.Statement & { name?: ts.Node };
      if (named.name && ts.isIdentifier(named.name) && keep(named.name.text)) print(s);
    }
  }
  return out.join('\n') + (out.length ? '\n' : '');
}

/**
 * After a failed cell: `after` (the declarations had the cell succeeded) for every name the cell did not
 * declare or did bind, and `before` for the names it declares but did not bind.
 */
export function declsAfterFailure(before: string, after: string, declared: Set<string>, bound: Set<string>): string {
  const kept = keepDecls(after, (n) => !declared.has(n) || bound.has(n), true);
  return kept + keepDecls(before, (n) => declared.has(n) && !bound.has(n), false);
}
