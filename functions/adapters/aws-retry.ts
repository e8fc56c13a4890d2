/**
 * Rate limiting and retries for AWS SDK v3 calls: one call spacer per region (AWS API quotas are
 * per account and region) and exponential backoff with jitter (p-retry) for throttling and server
 * errors. SDK clients handed to adapters that use this should be built with `maxAttempts: 1`, or the
 * SDK's own retries multiply these.
 */
import pRetry from 'p-retry';
import { ErrorCode, ProviderError } from '#shared/domain/errors.ts';

/** How calls are paced and retried. */
export interface AwsCallPolicyOptions {
  /** Calls per second per region, spread evenly (no bursts); `Infinity` retries without pacing. */
  readonly maxCallsPerSecond: number;
  /** Attempts per call, the first included. */
  readonly maxAttempts: number;
  /** Delay before the first retry, in ms; doubled each retry, jittered up to ×2, capped at `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /**
   * Which failures are tried again. @default {@link isRetryableAwsError}; narrow it for a call that
   * must not be repeated after an unclear failure (a non-idempotent change).
   */
  readonly isRetryable?: (error: unknown) => boolean;
}

/** Error names AWS services use for "slow down"; retried whatever their HTTP status. */
const THROTTLING_ERRORS: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
  'SlowDown',
]);

/** The parts of an SDK v3 service exception this module reads. */
interface SdkErrorLike {
  readonly name?: string;
  readonly message?: string;
  readonly $retryable?: { readonly throttling?: boolean };
  readonly $metadata?: { readonly httpStatusCode?: number };
}

function asSdkError(error: unknown): SdkErrorLike {
  return error && typeof error === 'object' ? (error as SdkErrorLike) : {};
}

/** True for throttling (by name, `$retryable.throttling` or HTTP 429). */
export function isThrottlingError(error: unknown): boolean {
  const e = asSdkError(error);
  return (
    THROTTLING_ERRORS.has(e.name ?? '') ||
    e.$retryable?.throttling === true ||
    e.$metadata?.httpStatusCode === 429
  );
}

/**
 * True when trying again may succeed: throttling, errors the SDK marks `$retryable`, HTTP 5xx, and
 * failures that never got a response (network, timeouts).
 */
export function isRetryableAwsError(error: unknown): boolean {
  const e = asSdkError(error);
  const status = e.$metadata?.httpStatusCode;
  if (isThrottlingError(error) || e.$retryable !== undefined) return true;
  if (status !== undefined) return status >= 500;
  return ['TimeoutError', 'RequestTimeout', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'].includes(
    e.name ?? '',
  );
}

/** `Name: message` of an SDK error, for reasons shown to people. */
export function describeAwsError(error: unknown): string {
  const e = asSdkError(error);
  const name = e.name && e.name !== 'Error' ? `${e.name}: ` : '';
  return `${name}${e.message ?? String(error)}`;
}

/**
 * The domain error for a failed call: throttled, unauthorized, not found, refused input, or another
 * provider failure. `context` says what the call was for (`restore of app/db`), ahead of the SDK's words.
 */
export function toProviderError(
  operation: string,
  error: unknown,
  attempts: number,
  context?: string,
): ProviderError {
  const name = asSdkError(error).name ?? '';
  const code = isThrottlingError(error)
    ? ErrorCode.Throttled
    : /AccessDenied|Unauthorized|UnrecognizedClient|InvalidSignature|ExpiredToken/.test(name)
      ? ErrorCode.Unauthorized
      : /NotFound|^NoSuch/.test(name)
        ? ErrorCode.NotFound
        : /^(InvalidParameterValue|MissingParameterValue)Exception$/.test(name)
          ? ErrorCode.InvalidInput
          : ErrorCode.Provider;
  const tries = attempts > 1 ? ` (after ${attempts} attempts)` : '';
  const what = context ? `${context}: ` : '';
  return new ProviderError(operation, `${what}${describeAwsError(error)}${tries}`, { cause: error, code });
}

/**
 * Spaces the starts of calls at least `minTimeMs` apart, in the order they asked, so no one-second
 * window holds more than the quota. A call that need not wait starts at once, with no timer: a
 * decision makes a handful of calls in a row, and a limiter that always dispatches through
 * `setTimeout(0)` (as Bottleneck does) adds a millisecond or more to each (docs/performance.md).
 * The only timer is the wait of a call that must wait, which the caller awaits, so it is not unref'd.
 */
export class CallSpacer {
  /** When the last call that asked started (a promise, as it may still be waiting its turn). */
  #lastStart: Promise<number> = Promise.resolve(Number.NEGATIVE_INFINITY);

  constructor(private readonly minTimeMs: number) {}

  schedule<T>(call: () => Promise<T>): Promise<T> {
    if (this.minTimeMs <= 0) return call();
    // Spaced from when the previous call actually started, so a stalled process does not release a burst.
    const start = this.#lastStart.then(async (previous) => {
      const wait = previous + this.minTimeMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      return Date.now();
    });
    this.#lastStart = start;
    return start.then(call);
  }
}

/** Paces and retries AWS calls, per region. */
export class AwsCallPolicy {
  readonly #limiters = new Map<string, CallSpacer>();

  constructor(private readonly options: AwsCallPolicyOptions) {
    if (!(options.maxCallsPerSecond > 0))
      throw new RangeError(`maxCallsPerSecond must be > 0; got ${options.maxCallsPerSecond}`);
    if (!Number.isInteger(options.maxAttempts) || options.maxAttempts < 1)
      throw new RangeError(`maxAttempts must be an integer >= 1; got ${options.maxAttempts}`);
  }

  /**
   * Runs `call` under `region`'s rate limit; retries throttling and server errors with backoff, each
   * attempt waiting its turn in the limiter again. Fails with a {@link ProviderError} naming `operation`
   * (and `context`, when given).
   */
  async run<T>(region: string, operation: string, call: () => Promise<T>, context?: string): Promise<T> {
    const limiter = this.#limiterFor(region);
    const isRetryable = this.options.isRetryable ?? isRetryableAwsError;
    let attempts = 0;
    try {
      return await pRetry(
        () => {
          attempts += 1;
          return limiter.schedule(call);
        },
        {
          retries: this.options.maxAttempts - 1,
          factor: 2,
          minTimeout: this.options.baseDelayMs,
          maxTimeout: this.options.maxDelayMs,
          randomize: true,
          // The backoff timer stays ref'd: the result waits on it, and when it is the only pending
          // work an unref'd timer lets Node end the process mid-retry (exit 13 under tsx, a dead
          // Lambda invocation).
          unref: false,
          shouldRetry: ({ error }) => isRetryable(error),
        },
      );
    } catch (error) {
      throw toProviderError(operation, error, attempts, context);
    }
  }

  #limiterFor(region: string): CallSpacer {
    let limiter = this.#limiters.get(region);
    if (!limiter) {
      // Evenly spaced starts keep every one-second window within the quota; unlike a reservoir this
      // needs no refresh timer that would keep a CLI process alive.
      limiter = new CallSpacer(Math.ceil(1000 / this.options.maxCallsPerSecond));
      this.#limiters.set(region, limiter);
    }
    return limiter;
  }
}
