/**
 * `Prober` over HTTP: the validation probes run after restores and before traffic moves. A probe is a
 * GET tried `attempts` times with exponential backoff; it passes on the first answer with the expected
 * status, and its detail says what happened either way, for the evidence log.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { HttpProbe } from '#shared/domain/plan.ts';
import type { ProbeResult, Prober } from '#shared/ports/recovery-actions.ts';

/** What {@link HttpProber} is built from; both default to the real ones. */
export interface HttpProberOptions {
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Backoff before attempt n+1: 1 s, 2 s, 4 s, ... capped at 10 s, so 5 attempts fit in a minute. */
export function backoffMs(attempt: number): number {
  return Math.min(1000 * 2 ** (attempt - 1), 10_000);
}

/** Why a fetch threw, in words: timeout, or the network error's code (ECONNREFUSED, ENOTFOUND, ...). */
function describeFailure(error: unknown, timeoutSeconds: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return `no answer within ${timeoutSeconds}s`;
  const cause =
    error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code) return `connection failed (${cause.code})${cause.message ? `: ${cause.message}` : ''}`;
  return `request failed: ${error instanceof Error ? error.message : String(error)}`;
}

/** Runs HTTP validation probes with retries, backoff and a per-try timeout. */
export class HttpProber implements Prober {
  readonly #fetch: typeof fetch;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(options: HttpProberOptions = {}) {
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#sleep = options.sleep ?? ((ms) => delay(ms));
  }

  async probe(probe: HttpProbe): Promise<ProbeResult> {
    const attempts = Math.max(1, probe.attempts);
    let last = 'not tried';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        // Redirects are not followed: a health endpoint that redirects (to a login page, say) is not
        // the healthy answer the plan asked for, unless the plan expects that 3xx.
        const response = await this.#fetch(probe.url, {
          method: 'GET',
          redirect: 'manual',
          signal: AbortSignal.timeout(probe.timeoutSeconds * 1000),
        });
        // Release the connection; only the status matters.
        await response.body?.cancel().catch(() => undefined);
        if (response.status === probe.expectStatus)
          return {
            ok: true,
            detail: `GET ${probe.url} answered ${response.status} on attempt ${attempt} of ${attempts}`,
          };
        last = `answered ${response.status}, expected ${probe.expectStatus}`;
      } catch (error) {
        last = describeFailure(error, probe.timeoutSeconds);
      }
      if (attempt < attempts) await this.#sleep(backoffMs(attempt));
    }
    return { ok: false, detail: `GET ${probe.url} failed all ${attempts} attempts; last: ${last}` };
  }
}
