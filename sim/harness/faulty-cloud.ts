/**
 * The simulated cloud of `sim/` with faults drawn from a world's fault stream at every API call,
 * inside the simulated service — so the real adapters' own retries meet them. A fault lands before
 * the handler acted (throttled, 5xx) or after it (the change is made, the caller sees a 5xx).
 */
import type { ManualClock } from '#shared/ports/clock.ts';
import { SimulatedApiError, SimulatedCloud } from '../cloud.ts';
import type { World } from '../world.ts';
import type { Random } from './random.ts';

interface Fault {
  readonly code: string;
  readonly status: number;
  /** Whether the call can have acted before the fault (a throttled call never did). */
  readonly acts: boolean;
}

const AWS_FAULTS: readonly Fault[] = [
  { code: 'ThrottlingException', status: 400, acts: false },
  { code: 'InternalFailure', status: 500, acts: true },
  { code: 'ServiceUnavailableException', status: 503, acts: true },
];

const AZURE_FAULTS: readonly Fault[] = [
  { code: 'TooManyRequests', status: 429, acts: false },
  { code: 'InternalServerError', status: 500, acts: true },
  { code: 'ServiceUnavailable', status: 503, acts: true },
];

/** A simulated cloud on the world's clock that fails calls at the world's current effect-fault rate. */
export class FaultyCloud extends SimulatedCloud {
  constructor(
    world: World,
    clock: ManualClock,
    private readonly random: Random,
    private readonly rate: () => number,
  ) {
    super(world);
    // The world's clock drives the simulated services (job progress, change timestamps) too.
    Object.defineProperty(this, 'clock', { value: clock });
  }

  override async call<T>(api: string, handler: () => T | Promise<T>): Promise<T> {
    if (!this.random.chance(this.rate())) return super.call(api, handler);
    const azure = /^(azure|network|dataprotection|recoveryservices)/.test(api);
    const fault = this.random.pick(azure ? AZURE_FAULTS : AWS_FAULTS);
    const after = fault.acts && this.random.chance(0.5);
    const code =
      api.startsWith('route53') && fault.code === 'ThrottlingException' ? 'Throttling' : fault.code;
    // Retry-After 0: the Azure pipeline honours it exactly, so a throttled call is retried at once.
    const error = () =>
      new SimulatedApiError(
        code,
        fault.status,
        `injected ${code} (${after ? 'after' : 'before'} ${api} acted)`,
        azure && fault.status === 429 ? 0 : undefined,
      );
    if (!after) throw error();
    await super.call(api, handler);
    throw error();
  }
}
