/**
 * The simulated cloud's shared machinery: the world, simulated time, call counting, per-API rate
 * limits and latency (enforced on real time, as the real services do), and injected faults. The
 * protocol front-ends (`sim/aws/`, `sim/azure/`) answer SDK requests through {@link SimulatedCloud.call}.
 */

import { parseDuration } from '#shared/domain/duration.ts';
import { ManualClock } from '#shared/ports/clock.ts';
import { type BackupSchedule, runBackupSchedules } from './backup-schedules.ts';
import type { World } from './world.ts';

/** An API failure the simulated service answers with, in its own protocol's error shape. */
export class SimulatedApiError extends Error {
  constructor(
    /** Provider error code, e.g. `ThrottlingException`, `ResourceNotFoundException`, `TooManyRequests`. */
    readonly errorCode: string,
    /** HTTP status the real service uses for it. */
    readonly status: number,
    message: string,
    /** Seconds the client should wait (Azure `Retry-After`), when the service says so. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** HTTP status a provider uses for a named error, when the fault does not say. */
const STATUS_BY_ERROR: Record<string, number> = {
  ThrottlingException: 400,
  TooManyRequestsException: 429,
  LimitExceededException: 400,
  ServiceUnavailableException: 503,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  InvalidParameterValueException: 400,
  TooManyRequests: 429,
  AuthorizationFailed: 403,
  InternalServerError: 500,
};

/** A throttling error as the service of `api` spells it. */
function throttlingFor(api: string): SimulatedApiError {
  const service = api.split(':')[0]!;
  if (
    service.startsWith('azure') ||
    service === 'dataprotection' ||
    service === 'recoveryservices' ||
    service === 'network'
  )
    return new SimulatedApiError('TooManyRequests', 429, `Rate limit exceeded for ${api}`, 1);
  if (service === 'route53') return new SimulatedApiError('Throttling', 400, `Rate exceeded for ${api}`);
  return new SimulatedApiError('ThrottlingException', 400, `Rate exceeded for ${api}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The simulated cloud behind every SDK client of one command run. */
export class SimulatedCloud {
  readonly world: World;
  readonly clock: ManualClock;
  readonly #calls = new Map<string, number>();
  readonly #faultsLeft: number[];
  readonly #recent = new Map<string, number[]>();

  #schedules: readonly BackupSchedule[];
  #schedulesRanAt = Number.NEGATIVE_INFINITY;

  constructor(world: World) {
    this.world = world;
    this.clock = new ManualClock(world.clock);
    this.#faultsLeft = world.faults.map((f) => f.times);
    this.#schedules = (world.backups ?? []).map((b) => ({
      resource: b.resource,
      everySeconds: parseDuration(b.every) ?? Number.POSITIVE_INFINITY,
      since: new Date(b.since ?? world.clock),
    }));
  }

  /**
   * Takes the backups the world's schedules have due by now: before any call is served, so whatever
   * moved the clock (a wait for a restore, a replayed event, `advance`), reads see the points taken.
   */
  runSchedules(): void {
    const now = this.clock.now();
    if (this.#schedules.length === 0 || now.getTime() <= this.#schedulesRanAt) return;
    this.#schedulesRanAt = now.getTime();
    runBackupSchedules(this.world, this.#schedules, now);
  }

  /**
   * Breaks the next backup of `resource` (a `backups[]` schedule's resource): its schedule takes no
   * backup until one interval from now, so the slot due next in every vault is skipped and the one
   * after comes as usual. Kept in the world (`since`), so a saved snapshot keeps it. Returns the time
   * until which no backup is taken, or `undefined` when no schedule backs the resource up.
   */
  skipNextBackup(resource: string): Date | undefined {
    this.runSchedules();
    const index = this.#schedules.findIndex((s) => s.resource === resource);
    const schedule = this.#schedules[index];
    const entry = this.world.backups[index];
    if (!schedule || !entry) return undefined;
    const until = new Date(
      Math.max(schedule.since.getTime(), this.clock.now().getTime() + schedule.everySeconds * 1000),
    );
    entry.since = until.toISOString();
    this.#schedules = this.#schedules.map((s, i) => (i === index ? { ...s, since: until } : s));
    return until;
  }

  /**
   * Serves one API call, `api` being `service:Operation`:
   * 0. take the scheduled backups due by now;
   * 1. count it (a throttled or faulted call is still a call the service received);
   * 2. answer an injected fault while that fault has `times` left;
   * 3. throttle when the call exceeds the API's `tps` over the last second of real time;
   * 4. wait the API's latency, then run the handler.
   */
  async call<T>(api: string, handler: () => T | Promise<T>): Promise<T> {
    this.runSchedules();
    this.#calls.set(api, (this.#calls.get(api) ?? 0) + 1);
    const faultIndex = this.world.faults.findIndex((f, i) => f.api === api && (this.#faultsLeft[i] ?? 0) > 0);
    if (faultIndex >= 0) {
      this.#faultsLeft[faultIndex]! -= 1;
      const fault = this.world.faults[faultIndex]!;
      const status = fault.status ?? STATUS_BY_ERROR[fault.error] ?? 500;
      throw new SimulatedApiError(
        fault.error,
        status,
        `Injected fault ${fault.error} for ${api}`,
        fault.retryAfterSeconds ?? (status === 429 ? 1 : undefined),
      );
    }
    const limit = this.world.limits[api];
    if (limit?.tps !== undefined) {
      const now = Date.now();
      const recent = (this.#recent.get(api) ?? []).filter((t) => now - t < 1000);
      if (recent.length >= limit.tps) {
        this.#recent.set(api, recent);
        throw throttlingFor(api);
      }
      recent.push(now);
      this.#recent.set(api, recent);
    }
    if (limit?.latencyMs) await sleep(limit.latencyMs);
    return handler();
  }

  /** API calls served so far, by `service:Operation`, sorted by name. */
  stats(): Record<string, number> {
    return Object.fromEntries([...this.#calls.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}
