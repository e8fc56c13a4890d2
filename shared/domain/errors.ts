/**
 * The one error family of Standby. Every error the core or an adapter raises on purpose is a
 * `StandbyError` with a stable `code`; adapters translate SDK failures into these.
 */

/** Stable error codes; callers switch on these, never on messages. */
export const ErrorCode = {
  InvalidPlan: 'INVALID_PLAN',
  InvalidWorld: 'INVALID_WORLD',
  InvalidInput: 'INVALID_INPUT',
  Conflict: 'CONFLICT',
  /** A lease holder acted after another took the lease over: final, never retried. */
  LeaseLost: 'LEASE_LOST',
  NotFound: 'NOT_FOUND',
  Provider: 'PROVIDER',
  Throttled: 'THROTTLED',
  Unauthorized: 'UNAUTHORIZED',
  InvalidToken: 'INVALID_TOKEN',
} as const;
/** One of {@link ErrorCode}. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Base class of every deliberate Standby error. */
export class StandbyError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** One problem in an input document, located by file, line and field path. */
export interface InputProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Dotted field path, e.g. `spec.resources[2].dependsOn[0]`. */
  readonly path: string;
  readonly message: string;
}

/** Formats a problem the way editors and CI logs link it: `file:line:col path: message`. */
export function formatProblem(p: InputProblem): string {
  return `${p.file}:${p.line}:${p.column} ${p.path ? `${p.path}: ` : ''}${p.message}`;
}

/** A plan file (or set) is not valid; `problems` lists every problem found, not just the first. */
export class InvalidPlanError extends StandbyError {
  readonly problems: readonly InputProblem[];
  constructor(problems: readonly InputProblem[]) {
    super(ErrorCode.InvalidPlan, problems.map(formatProblem).join('\n'));
    this.problems = problems;
  }
}

/** A world file (simulated cloud) is not valid. */
export class InvalidWorldError extends StandbyError {
  readonly problems: readonly InputProblem[];
  constructor(problems: readonly InputProblem[]) {
    super(ErrorCode.InvalidWorld, problems.map(formatProblem).join('\n'));
    this.problems = problems;
  }
}

/** Some other input (an event file, a flag, a token) is unusable. */
export class InvalidInputError extends StandbyError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.InvalidInput, message, options);
  }
}

/** A conditional write lost its race: the stored version was not the expected one. */
export class ConflictError extends StandbyError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.Conflict, message, options);
  }
}

/** A cloud provider call failed after retries; `operation` is `service:Operation`. */
export class ProviderError extends StandbyError {
  readonly operation: string;
  constructor(operation: string, message: string, options?: { cause?: unknown; code?: ErrorCode }) {
    super(options?.code ?? ErrorCode.Provider, `${operation}: ${message}`, options);
    this.operation = operation;
  }
}
