// Type declarations of the library for the kernel's TypeScript checker: `import { ... } from 'ednas'` in
// a notebook is type-checked against them. Emitted from src/ with the project's TypeScript (the one the
// checker runs), into kernel/.types/ednas (git-ignored), and rebuilt when a source file is newer or the
// TypeScript version changed.
import ts from 'typescript';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const TYPES_DIR = join(PROJECT_ROOT, 'kernel', '.types', 'ednas');

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

const newest = (paths: string[]) => Math.max(...paths.map((p) => statSync(p).mtimeMs));

export function typesAreCurrent(): boolean {
  const stamp = join(TYPES_DIR, 'package.json');
  if (!existsSync(stamp) || statSync(stamp).mtimeMs < newest(files(join(PROJECT_ROOT, 'src')))) return false;
  return JSON.parse(readFileSync(stamp, 'utf8')).typescript === ts.version;
}

/** Emits the declarations (about 10 s); a no-op when they are current. */
export function buildTypes(): void {
  if (typesAreCurrent()) return;
  rmSync(TYPES_DIR, { recursive: true, force: true });
  const outDir = join(TYPES_DIR, 'src');
  const program = ts.createProgram([join(PROJECT_ROOT, 'src', 'index.ts')], {
    declaration: true,
    emitDeclarationOnly: true,
    allowImportingTsExtensions: true,
    skipLibCheck: true,
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    esModuleInterop: true,
    resolveJsonModule: true,
    types: ['node'],
    rootDir: join(PROJECT_ROOT, 'src'),
    outDir,
  });
  // Declarations are emitted whatever the type errors; `npx tsc` checks the sources.
  program.emit(undefined, (path, text) => {
    if (!path.startsWith(outDir)) return;
    mkdirSync(dirname(path), { recursive: true });
    // Relative imports of .ts files become .js, which the notebook checker maps to these .d.ts files.
    writeFileSync(path, text.replace(/(['"])(\.{1,2}\/[^'"]*?)\.ts\1/g, '$1$2.js$1'));
  });
  writeFileSync(
    join(TYPES_DIR, 'package.json'),
    JSON.stringify(
      {
        name: 'ednas',
        types: 'src/index.d.ts',
        typescript: ts.version,
        note: `generated from ${relative(TYPES_DIR, PROJECT_ROOT)}/src`,
      },
      null,
      1,
    ),
  );
}
