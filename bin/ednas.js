#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so the CLI always matches the library in src/.
import { register } from 'tsx/esm/api';

register();
const { main, addCommand } = await import('../src/cli/main.ts');
const { kernelCommand, KERNEL_SUMMARY } = await import('../kernel/command.ts');
addCommand('kernel', { summary: KERNEL_SUMMARY, run: kernelCommand });
const code = await main(process.argv.slice(2));
// Exit explicitly: the wasm runtime keeps handles open.
process.exit(code);
