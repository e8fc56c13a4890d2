/**
 * The command tree shell completion is generated from, read off the commander program: commands,
 * their options and what each value is (a path, one of a fixed set, or free text). Commander has no
 * completion of its own (tj/commander.js#385), so `standby completion <shell>` writes a static
 * script from this tree for bash, zsh or fish — no completion hook runs Node at each Tab.
 */
import type { Argument, Command, Option } from 'commander';

/** What a value completes to: a path on disk, one of fixed choices, or nothing (free text). */
export type ValueKind =
  | { readonly kind: 'path' }
  | { readonly kind: 'choices'; readonly choices: readonly string[] }
  | { readonly kind: 'free' };

/** One option of a command. */
export interface CompletionOption {
  /** `--plan`. */
  readonly long: string;
  /** `-V`, when it has one. */
  readonly short?: string;
  readonly description: string;
  /** The value it takes; absent for a flag. */
  readonly value?: ValueKind;
  /** May be given more than once (its help says "repeatable"). */
  readonly repeatable: boolean;
}

/** One command (the program itself has `path` []). */
export interface CompletionCommand {
  /** Names from the program down, e.g. `['evidence', 'verify']`. */
  readonly path: readonly string[];
  readonly description: string;
  readonly options: readonly CompletionOption[];
  readonly commands: readonly CompletionCommand[];
  /** What its positional arguments complete to; absent when it takes none. */
  readonly positional?: ValueKind;
}

/** Value and argument names that are paths on disk, by the convention the commands' help follows. */
const PATH_NAMES = new Set(['path', 'file', 'dir', 'plan', 'event']);

const HELP: CompletionOption = {
  long: '--help',
  short: '-h',
  description: 'display help',
  repeatable: false,
};

/** The completion tree of `program` and every command under it. */
export function completionTree(program: Command, path: readonly string[] = []): CompletionCommand {
  const argument = program.registeredArguments[0];
  return {
    path,
    description: program.description(),
    options: [...program.options.filter((o) => !o.hidden && o.long).map(toOption), HELP],
    commands: program.commands.map((c) => completionTree(c, [...path, c.name()])),
    ...(argument ? { positional: argumentKind(argument) } : {}),
  };
}

function toOption(option: Option): CompletionOption {
  const valueName = /[<[]([^>\]]+)[>\]]/.exec(option.flags)?.[1]?.replace('...', '');
  return {
    long: option.long!,
    ...(option.short ? { short: option.short } : {}),
    description: option.description,
    ...(valueName === undefined ? {} : { value: valueKind(valueName, option.argChoices) }),
    repeatable: /\brepeatable\b/.test(option.description),
  };
}

function argumentKind(argument: Argument): ValueKind {
  return valueKind(argument.name(), argument.argChoices);
}

function valueKind(name: string, choices: readonly string[] | undefined): ValueKind {
  if (choices && choices.length > 0) return { kind: 'choices', choices };
  return PATH_NAMES.has(name) ? { kind: 'path' } : { kind: 'free' };
}

/** Every command of the tree, the program first, parents before children. */
export function allCommands(tree: CompletionCommand): CompletionCommand[] {
  return [tree, ...tree.commands.flatMap(allCommands)];
}
