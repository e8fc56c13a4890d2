#!/usr/bin/env node
// The `standby` command. The sources are TypeScript run through tsx, so `npx standby`
// works right after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
// `standby … | head -1`: when the reader goes away, exit as the command would, without a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
