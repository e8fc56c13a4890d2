/** Runs `main` in-process with captured streams, as a user would see them. */
import { main } from '#cli/main.ts';

/** What one command run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `standby <argv>`; streams are not terminals unless `tty` says so. */
export async function runCli(
  argv: readonly string[],
  tty: { stdout: boolean; stderr: boolean } = { stdout: false, stderr: false },
  env: Record<string, string | undefined> = {},
  stdin?: string,
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    isTTY: tty,
    env,
    ...(stdin === undefined ? {} : { readStdin: async () => stdin }),
  });
  return { code, stdout, stderr };
}

/** The example plan set and world, as `npm start` uses them. */
export const EXAMPLES = ['--plan', 'examples/plans', '--world', 'examples/world.yaml'] as const;
