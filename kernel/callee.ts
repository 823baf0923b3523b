// Where Shift-Tab inside a call's parentheses should look: the name of the function called, as IPython's
// token_at_cursor prefers the callable anywhere inside a call.
import ts from 'typescript';

/** The position of the innermost call's callee name when `cursor` is inside its parentheses. */
export function calleeAt(code: string, cursor: number): number | undefined {
  const sf = ts.createSourceFile('cell.ts', code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  let found: number | undefined;
  const visit = (node: ts.Node): void => {
    // An unclosed call (`f(1, |`) ends before the blanks the cursor follows.
    const openEnded = cursor > node.end && /^\s*$/.test(code.slice(node.end, cursor));
    if (cursor < node.getStart(sf) || (cursor > node.end && !openEnded)) return;
    if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments) {
      const open = node.arguments.pos; // just after '('
      const closed = code[node.end - 1] === ')';
      if (cursor >= open && (closed ? cursor < node.end : true)) {
        const callee = node.expression;
        const name = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
        found = name.getStart(sf);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}
