/**
 * The streams a command writes to. `main` takes them as a parameter so tests run commands in-process
 * and read exactly what a user would see; the bin passes the real process streams.
 */

/** Something text can be written to (a process stream, or a buffer in tests). */
export interface TextSink {
  write(text: string): unknown;
}

/** Where a command's output goes, and what kind of terminal it is. */
export interface CliIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  /** Whether each stream is a terminal: colour (stdout) and progress (stderr) appear only then. */
  readonly isTTY?: { readonly stdout: boolean; readonly stderr: boolean };
  /** Environment for `NO_COLOR`; defaults to the process environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** All of standard input, for arguments given as `-` (a token kept out of `ps` and shell history). */
  readonly readStdin?: () => Promise<string>;
}

/** The process's own streams. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: { stdout: process.stdout.isTTY === true, stderr: process.stderr.isTTY === true },
    env: process.env,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

/**
 * Colour only on a terminal and never with `NO_COLOR` set to anything non-empty (https://no-color.org).
 */
export function useColour(io: CliIo): boolean {
  const noColor = (io.env ?? process.env)['NO_COLOR'];
  return io.isTTY?.stdout === true && (noColor === undefined || noColor === '');
}
