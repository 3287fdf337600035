#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx's loader (no separate build step).
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli.ts');
await runCli(process.argv);
