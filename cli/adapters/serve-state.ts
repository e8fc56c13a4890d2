/**
 * What the engine opens differently in a state directory `standby serve` made: the controller's state
 * is in the embedded DynamoDB (`DIR/dynamodb/`), and notifications carry links to the local approval
 * pages. Every other command run on such a directory (status, evidence, drill…) reads the same store.
 */
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WebhookTeamsNotifier } from '#platform/teams/teams-notifier.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
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
  await assertNotServed(stateDir);
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

/** Where a running `serve` says who it is: its process id and URL. */
const SERVE_FILE = 'serve.json';

/** Records that this process serves `stateDir` at `url` (removed by {@link markStopped}). */
export async function markServing(stateDir: string, url: string): Promise<void> {
  await writeFile(join(stateDir, SERVE_FILE), `${JSON.stringify({ pid: process.pid, url })}\n`, {
    mode: 0o600,
  });
}

/** Removes the record of {@link markServing}. */
export async function markStopped(stateDir: string): Promise<void> {
  await rm(join(stateDir, SERVE_FILE), { force: true });
}

/**
 * Refuses a state directory another live process serves (LevelDB would refuse it too, less
 * clearly); a record left by a process that is gone (killed, crashed) is ignored.
 */
async function assertNotServed(stateDir: string): Promise<void> {
  const text = await readFile(join(stateDir, SERVE_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return;
  let served: { pid?: unknown; url?: unknown };
  try {
    served = JSON.parse(text) as { pid?: unknown; url?: unknown };
  } catch {
    return;
  }
  if (typeof served.pid !== 'number' || served.pid === process.pid || !alive(served.pid)) return;
  throw new InvalidInputError(
    `${stateDir} is in use by standby serve (process ${served.pid}, ${String(served.url)}): ` +
      'use its HTTP API (GET /api/status, /api/evidence; docs/local.md), or stop it first',
  );
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else — still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The Teams notifier of a CLI run: the shared webhook notifier, its cards carrying Approve / Reject
 * buttons to `approvalBaseUrl` when one is given and the CLI commands otherwise; in a simulation the
 * cards land in the simulated channel.
 */
export function linkedTeams(
  cloud: SimulatedCloud | undefined,
  approvalBaseUrl: string | undefined,
): Notifier {
  const name = (reference: string) => reference.replace(/^env:/, '');
  return new WebhookTeamsNotifier({
    resolveWebhook: async (reference) =>
      cloud ? simulatedWebhookUrl(name(reference)) : process.env[name(reference)],
    ...(approvalBaseUrl ? { approvalBaseUrl } : {}),
    ...(cloud ? { fetch: simulatedTeamsFetch(cloud) } : {}),
  });
}
