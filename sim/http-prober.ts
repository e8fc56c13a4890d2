/**
 * Simulated validation probes: the real {@link HttpProber} (retries, backoff, status check, details)
 * over a `fetch` answered from `world.http[url]` (`{ status, body?, failTimes? }`). The first
 * `failTimes` probes of a URL answer 503 and use the count up in the world, so a dumped world
 * continues where it stopped. A URL the world does not list refuses the connection. Backoff waits
 * move the simulated clock, not the real one. Each request is counted as `http:GET`.
 */
import { HttpProber } from '#platform/http-prober.ts';
import type { HttpProbe } from '#shared/domain/plan.ts';
import type { ProbeResult, Prober } from '#shared/ports/recovery-actions.ts';
import type { SimulatedCloud } from './cloud.ts';

/** What each simulated probe request is counted (and faulted) as. */
export const HTTP_OPERATION = 'http:GET';

/** A `fetch` that answers GETs from `cloud.world.http`, throwing as undici does when nothing listens. */
export function simulatedFetch(cloud: SimulatedCloud): typeof fetch {
  return async (input) => {
    const url = input instanceof Request ? input.url : String(input);
    return cloud.call(HTTP_OPERATION, () => {
      const answer = cloud.world.http[url];
      if (!answer) {
        const cause = Object.assign(
          new Error(`connect ECONNREFUSED: the world has no http entry for ${url}`),
          { code: 'ECONNREFUSED' },
        );
        throw new TypeError('fetch failed', { cause });
      }
      if ((answer.failTimes ?? 0) > 0) {
        answer.failTimes = (answer.failTimes ?? 0) - 1;
        return new Response('simulated failure (world.http failTimes)', { status: 503 });
      }
      const body =
        answer.body === undefined
          ? null
          : typeof answer.body === 'string'
            ? answer.body
            : JSON.stringify(answer.body);
      if (answer.status < 200 || answer.status > 599)
        throw new RangeError(
          `world.http["${url}"].status is ${answer.status}; expected an HTTP status from 200 to 599`,
        );
      // Statuses the Response constructor refuses a body for (204, 205, 304) are answered without one.
      return new Response([204, 205, 304].includes(answer.status) ? null : body, { status: answer.status });
    });
  };
}

/** Runs validation probes against the simulated world through the real HTTP prober. */
export class SimulatedProber implements Prober {
  readonly #prober: HttpProber;

  constructor(cloud: SimulatedCloud) {
    this.#prober = new HttpProber({
      fetch: simulatedFetch(cloud),
      sleep: async (ms) => cloud.clock.advance(ms / 1000),
    });
  }

  probe(probe: HttpProbe): Promise<ProbeResult> {
    return this.#prober.probe(probe);
  }
}
