/**
 * What the engine opens differently in a state directory `standby serve` made: the controller's state
 * is in the embedded DynamoDB (`DIR/dynamodb/`), and notifications carry links to the local approval
 * pages. Every other command run on such a directory (status, evidence, drill…) reads the same store.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { WebhookTeamsNotifier } from '#platform/teams/teams-notifier.ts';
import type { Notifier } from '#shared/ports/notifier.ts';
import type { SimulatedCloud } from '#sim/cloud.ts';
import { simulatedTeamsFetch, simulatedWebhookUrl } from '#sim/teams.ts';
import { LOCAL_DYNAMODB_DIR, type LocalDynamoDb, openLocalDynamoDb } from './local-dynamodb.ts';
import { trackOpenStore, untrackOpenStore } from './open-stores.ts';

/** The embedded DynamoDB of `stateDir` when `serve` made one there; `undefined` for a file-state directory. */
export async function openServeStore(stateDir: string): Promise<LocalDynamoDb | undefined> {
  const made = await stat(join(stateDir, LOCAL_DYNAMODB_DIR)).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!made) return undefined;
  const local = await openLocalDynamoDb(stateDir);
  const tracked: LocalDynamoDb = trackOpenStore({
    ...local,
    close: async () => {
      untrackOpenStore(tracked);
      await local.close();
    },
  });
  return tracked;
}

/**
 * With an approval endpoint, Teams cards get Approve / Reject buttons to it (the shared webhook
 * notifier); in a simulation the cards land in the simulated channel. Without one: `undefined`.
 */
export function linkedTeams(
  cloud: SimulatedCloud | undefined,
  approvalBaseUrl: string | undefined,
): Notifier | undefined {
  if (!approvalBaseUrl) return undefined;
  const name = (reference: string) => reference.replace(/^env:/, '');
  return cloud
    ? new WebhookTeamsNotifier({
        resolveWebhook: async (reference) => simulatedWebhookUrl(name(reference)),
        approvalBaseUrl,
        fetch: simulatedTeamsFetch(cloud),
      })
    : new WebhookTeamsNotifier({
        resolveWebhook: async (reference) => process.env[name(reference)],
        approvalBaseUrl,
      });
}
