/** The error family: stable codes, names, messages, causes and the problems an input error carries. */
import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  ErrorCode,
  formatProblem,
  InvalidInputError,
  InvalidPlanError,
  InvalidWorldError,
  ProviderError,
  StandbyError,
} from '#shared/domain/errors.ts';

describe('ErrorCode', () => {
  it('keeps the codes callers switch on', () => {
    expect(ErrorCode).toEqual({
      InvalidPlan: 'INVALID_PLAN',
      InvalidWorld: 'INVALID_WORLD',
      InvalidInput: 'INVALID_INPUT',
      Conflict: 'CONFLICT',
      LeaseLost: 'LEASE_LOST',
      NotFound: 'NOT_FOUND',
      Provider: 'PROVIDER',
      Throttled: 'THROTTLED',
      Unauthorized: 'UNAUTHORIZED',
      InvalidToken: 'INVALID_TOKEN',
    });
  });
});

describe('formatProblem', () => {
  it.each([
    [
      {
        file: 'plan.yaml',
        line: 12,
        column: 5,
        path: 'spec.resources[2].dependsOn[0]',
        message: 'unknown resource',
      },
      'plan.yaml:12:5 spec.resources[2].dependsOn[0]: unknown resource',
    ],
    [{ file: 'plan.yaml', line: 1, column: 1, path: '', message: 'not YAML' }, 'plan.yaml:1:1 not YAML'],
  ])('formats %j as %j', (problem, text) => {
    expect(formatProblem(problem)).toBe(text);
  });
});

describe('the error classes', () => {
  const cause = new Error('underlying');
  const problems = [
    { file: 'a.yaml', line: 2, column: 3, path: 'spec.x', message: 'wrong' },
    { file: 'a.yaml', line: 4, column: 1, path: '', message: 'also wrong' },
  ];

  it.each([
    [
      'StandbyError',
      () => new StandbyError(ErrorCode.NotFound, 'no such app', { cause }),
      'NOT_FOUND',
      'no such app',
      cause,
    ],
    [
      'InvalidInputError',
      () => new InvalidInputError('bad flag', { cause }),
      'INVALID_INPUT',
      'bad flag',
      cause,
    ],
    [
      'ConflictError',
      () => new ConflictError('version 3 expected', { cause }),
      'CONFLICT',
      'version 3 expected',
      cause,
    ],
    [
      'ProviderError',
      () => new ProviderError('backup:StartRestoreJob', 'access denied', { cause }),
      'PROVIDER',
      'backup:StartRestoreJob: access denied',
      cause,
    ],
    [
      'ProviderError',
      () => new ProviderError('backup:StartRestoreJob', 'slow down', { code: ErrorCode.Throttled }),
      'THROTTLED',
      'backup:StartRestoreJob: slow down',
      undefined,
    ],
    [
      'InvalidPlanError',
      () => new InvalidPlanError(problems),
      'INVALID_PLAN',
      'a.yaml:2:3 spec.x: wrong\na.yaml:4:1 also wrong',
      undefined,
    ],
    [
      'InvalidWorldError',
      () => new InvalidWorldError(problems),
      'INVALID_WORLD',
      'a.yaml:2:3 spec.x: wrong\na.yaml:4:1 also wrong',
      undefined,
    ],
  ])('a %s carries its code, name, message and cause', (name, make, code, message, expectedCause) => {
    const error = make();
    expect(error).toBeInstanceOf(StandbyError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    expect(error.cause).toBe(expectedCause);
  });

  it('keeps the problems of a plan or world error, and the operation of a provider error', () => {
    expect(new InvalidPlanError(problems).problems).toEqual(problems);
    expect(new InvalidWorldError(problems).problems).toEqual(problems);
    expect(new ProviderError('sns:Publish', 'denied').operation).toBe('sns:Publish');
  });
});
