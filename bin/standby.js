#!/usr/bin/env node
// The `standby` command. The sources are TypeScript run through tsx, so `npx standby`
// works right after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
