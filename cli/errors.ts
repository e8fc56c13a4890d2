/** Turns a failed command into the message a user sees on stderr and exit code 1 (SPEC §5). */
import { CommanderError } from 'commander';
import { formatProblem, InvalidPlanError, InvalidWorldError, StandbyError } from '#shared/domain/errors.ts';
import type { TextSink } from './io.ts';

/** Exit codes of every command (SPEC §5). */
export const ExitCode = {
  Ok: 0,
  /** Usage or input error: a clear message on stderr, nothing changed. */
  InputError: 1,
  /** The check ran and found a problem (e.g. a breach). */
  ProblemFound: 2,
} as const;

/** Writes what went wrong to stderr and returns the exit code for it. */
export function reportFailure(error: unknown, stderr: TextSink): number {
  if (error instanceof CommanderError)
    // Commander has already written its message (or the help text); help and --version succeed.
    return error.exitCode === 0 ? ExitCode.Ok : ExitCode.InputError;
  if (error instanceof AggregateError) {
    for (const inner of error.errors) reportFailure(inner, stderr);
    return ExitCode.InputError;
  }
  if (error instanceof InvalidPlanError || error instanceof InvalidWorldError) {
    const what = error instanceof InvalidPlanError ? 'plan' : 'world';
    for (const problem of error.problems) stderr.write(`${formatProblem(problem)}\n`);
    const n = error.problems.length;
    stderr.write(
      `standby: ${n} problem${n === 1 ? '' : 's'} in the ${what} file${what === 'plan' ? 's' : ''}\n`,
    );
    return ExitCode.InputError;
  }
  if (error instanceof StandbyError) {
    stderr.write(`standby: ${error.message}\n`);
    return ExitCode.InputError;
  }
  stderr.write(
    `standby: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return ExitCode.InputError;
}
