/**
 * A simulated Microsoft Teams incoming webhook: the `fetch` the real `TeamsNotifier` posts through in
 * a simulation. Each post is counted as `teams:PostMessage` and kept in
 * `cloud.world.azure.teamsMessages`, so a test or a person can read the card a channel would show.
 * Nothing leaves the process.
 */
import type { SimulatedCloud } from './cloud.ts';

/** Where webhook references point in a simulation (never a real host: `.invalid` cannot resolve). */
export const simulatedWebhookUrl = (name: string): string =>
  `https://teams.simulated.invalid/webhooks/${name}`;

/** What each webhook post is counted (and faulted) as. */
export const TEAMS_OPERATION = 'teams:PostMessage';

/** A `fetch` that accepts webhook posts into the simulated cloud. */
export function simulatedTeamsFetch(cloud: SimulatedCloud): typeof fetch {
  return async (input, init) =>
    cloud.call(TEAMS_OPERATION, () => {
      const url = String(input instanceof Request ? input.url : input);
      cloud.world.azure.teamsMessages.push({
        webhook: url,
        at: cloud.clock.now().toISOString(),
        message: JSON.parse(String(init?.body ?? '{}')) as unknown,
      });
      return new Response('1', { status: 200 });
    });
}
