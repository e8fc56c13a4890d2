/** `npm run sim -- --seeds N [--from S] | --seed S [--verbose]`: see `command.ts`. */
import { simCommand } from './command.ts';

process.exitCode = await simCommand(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  elapsed: () => performance.now(),
});
