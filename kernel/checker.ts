// The notebook's type checker, on the project's TypeScript (ours; after tslab's converter, whose approach it
// keeps): a cell is a module checked against one declaration file of what the earlier cells declared. The
// cell's source file is given the declaration file as its parent, so names the cell does not declare
// resolve there first (the cell's own declarations shadow them), then in the globals. After a cell runs,
// its emitted declarations replace the earlier ones of the same names.
import ts from 'typescript';
import { join } from 'node:path';
import { PROJECT_ROOT } from './types.ts';
import { keepDecls } from './decls.ts';
import { virtualPath } from './resolve.ts';

export interface Diagnostic {
  start: { line: number; character: number };
  messageText: string;
  code: number;
  fileName?: string;
}

/** What the cell's check gives: its errors, or the declarations known after it runs. */
export interface Checked {
  diagnostics: Diagnostic[];
  /** Set when the cell passes: what later cells are checked against once it has run. */
  declarations?: string;
}

/** Makes both files modules, so that a cell's names are its own and may shadow earlier ones. */
const PREFIX = 'export {};\n';

export const OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts'],
  esModuleInterop: true,
  declaration: true,
  experimentalDecorators: true,
  resolveJsonModule: true,
  jsx: ts.JsxEmit.React,
  skipLibCheck: true,
  newLine: ts.NewLineKind.LineFeed,
  typeRoots: [join(PROJECT_ROOT, 'node_modules', '@types')],
  types: ['node'],
};

export class Checker {
  private readonly cellFile: string;
  private readonly declFile: string;
  private cell = '';
  private decls = '';
  private version = 0;
  private readonly service: ts.LanguageService;

  constructor(cwd: string) {
    this.cellFile = join(cwd, '__cell__.ts');
    this.declFile = join(cwd, '__cells__.d.ts');
    const own = (path: string) =>
      path === this.cellFile ? this.cell : path === this.declFile ? this.decls : undefined;
    const host: ts.LanguageServiceHost = {
      getCompilationSettings: () => OPTIONS,
      getScriptFileNames: () => [this.declFile, this.cellFile],
      // Only the two files of cells change: every other file keeps its parse between cells.
      getScriptVersion: (path) => (own(path) !== undefined ? String(this.version) : '0'),
      getScriptSnapshot: (path) => {
        const text = own(path) !== undefined ? PREFIX + own(path) : ts.sys.readFile(virtualPath(cwd, path));
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => cwd,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (path) => own(path) !== undefined || ts.sys.fileExists(virtualPath(cwd, path)),
      readFile: (path) => (own(path) !== undefined ? PREFIX + own(path) : ts.sys.readFile(virtualPath(cwd, path))),
      // The notebook's folder may have no node_modules: the virtual packages live there all the same.
      directoryExists: (path) => path === join(cwd, 'node_modules') || ts.sys.directoryExists(virtualPath(cwd, path)),
      getDirectories: (path) => ts.sys.getDirectories(virtualPath(cwd, path)),
      realpath: (path) => (virtualPath(cwd, path) !== path ? path : (ts.sys.realpath?.(path) ?? path)),
    };
    this.service = ts.createLanguageService(host, ts.createDocumentRegistry());
  }

  /** The program for `cell` after `decls`, with the cell's file parented to the declarations. */
  private program(decls: string, cell: string): { program: ts.Program; src: ts.SourceFile; declsFile: ts.SourceFile } {
    if (decls !== this.decls || cell !== this.cell) {
      this.decls = decls;
      this.cell = cell;
      this.version++;
    }
    const program = this.service.getProgram()!;
    const src = program.getSourceFile(this.cellFile)!;
    const declsFile = program.getSourceFile(this.declFile)!;
    (src as { parent?: ts.Node }).parent = declsFile;
    return { program, src, declsFile };
  }

  private position(file: ts.SourceFile, offset: number) {
    const { line, character } = file.getLineAndCharacterOfPosition(offset);
    const own = file.fileName === this.cellFile || file.fileName === this.declFile;
    return own ? { line: line - 1, character } : { line, character };
  }

  check(decls: string, cell: string): Checked {
    const { program, src } = this.program(decls, cell);
    const found = [...program.getSyntacticDiagnostics(src), ...program.getSemanticDiagnostics(src)];
    const diagnostics = found
      .filter((d) => d.file && d.start !== undefined)
      .map((d) => ({
        start: this.position(d.file!, d.start!),
        messageText: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
        code: d.code,
        ...(d.file!.fileName !== this.cellFile && { fileName: d.file!.fileName }),
      }));
    if (diagnostics.length) return { diagnostics };
    return { diagnostics, declarations: this.declarationsAfter(decls, src) };
  }

  /** The cell's own declarations, then the earlier ones of every name it does not declare again. */
  private declarationsAfter(decls: string, src: ts.SourceFile): string {
    const locals = (src as unknown as { locals?: Map<string, unknown> }).locals ?? new Map();
    const names = [...locals.keys()];
    // Declarations are emitted for exported names only: export every name, for the emit alone.
    const exported = names.length ? `${this.cell}\nexport { ${names.join(', ')} };` : this.cell;
    this.program(decls, exported);
    const dts =
      this.service.getEmitOutput(this.cellFile, true, true).outputFiles.find((f) => f.name.endsWith('.d.ts'))?.text ??
      '';
    const own = keepDecls(dts, () => true, true);
    return own + keepDecls(decls, (n) => !locals.has(n), true);
  }

  complete(decls: string, cell: string, cursor: number): { start: number; end: number; candidates: string[] } {
    this.program(decls, cell);
    const pos = cursor + PREFIX.length;
    const word = /[\p{L}\p{N}_$]*$/u.exec(cell.slice(0, cursor))![0];
    const info = this.service.getCompletionsAtPosition(this.cellFile, pos, { includeCompletionsWithInsertText: false });
    const lower = word.toLowerCase();
    const rank = (name: string) =>
      name.startsWith(word) ? 0 : name.toLowerCase().startsWith(lower) ? 1 : name.toLowerCase().includes(lower) ? 2 : 3;
    const entries = (info?.entries ?? []).filter((e) => rank(e.name) < 3);
    entries.sort(
      (a, b) => rank(a.name) - rank(b.name) || a.sortText.localeCompare(b.sortText) || a.name.localeCompare(b.name),
    );
    return { start: cursor - word.length, end: cursor, candidates: entries.map((e) => e.name) };
  }

  inspect(decls: string, cell: string, cursor: number): ts.QuickInfo | undefined {
    this.program(decls, cell);
    return this.service.getQuickInfoAtPosition(this.cellFile, cursor + PREFIX.length);
  }

  close(): void {
    this.service.dispose();
  }
}
