/**
 * `standby completion <shell>`: prints the completion script for bash, zsh or fish, generated from
 * the program's own command tree, so it always lists the commands and flags this version has.
 */
import type { Command } from 'commander';
import { bashScript } from '../completion/bash.ts';
import { fishScript } from '../completion/fish.ts';
import { type CompletionCommand, completionTree } from '../completion/tree.ts';
import { zshScript } from '../completion/zsh.ts';
import { ExitCode } from '../errors.ts';
import type { CliIo } from '../io.ts';

/** The shells a completion script is written for. */
export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
/** One of {@link COMPLETION_SHELLS}. */
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

const SCRIPTS = {
  bash: bashScript,
  zsh: zshScript,
  fish: fishScript,
} satisfies { [S in CompletionShell]: (program: string, tree: CompletionCommand) => string };

/** Prints the completion script of `program` for `shell`. */
export function completionCommand(shell: CompletionShell, program: Command, io: CliIo): number {
  io.stdout.write(SCRIPTS[shell](program.name(), completionTree(program)));
  return ExitCode.Ok;
}
