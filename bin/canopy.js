#!/usr/bin/env node
// The `canopy` command: loads the TypeScript CLI through tsx so that `npx canopy` works right after `npm install`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
