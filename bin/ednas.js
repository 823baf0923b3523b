#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so the CLI always matches the library in src/.
import { register } from 'tsx/esm/api';

register();
const { main, addCommand } = await import('../src/cli/main.ts');
addCommand('kernel', {
  summary: "install or remove the Jupyter kernel 'EDNAS (TypeScript)' (import { ... } from 'ednas' in notebooks)",
  run: async (argv) => (await import('../kernel/command.ts')).kernelCommand(argv),
});
const code = await main(process.argv.slice(2));
// Exit explicitly: the wasm runtime keeps handles open.
process.exit(code);
