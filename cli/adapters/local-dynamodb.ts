/**
 * The embedded state store of `standby serve`: dynalite (a DynamoDB implementation on LevelDB) kept
 * on disk under `DIR/dynamodb/`, reached through the real DynamoDB adapter over loopback HTTP — so what
 * runs locally is the adapter the deployed controller runs, against DynamoDB's wire protocol.
 *
 * LevelDB takes a lock on its directory: a second process opening the same state directory (a second
 * `serve`, or a CLI command while `serve` runs) is refused with a message saying so, and changes nothing.
 */
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createStateTable, DynamoDbStateStore } from '#functions/adapters/dynamodb-state-store.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import type { StateStore } from '#shared/ports/state-store.ts';

/** The directory under the state directory that holds the LevelDB files. */
export const LOCAL_DYNAMODB_DIR = 'dynamodb';
/** The one table the local controller keeps its state in. */
export const LOCAL_TABLE = 'standby-state';

type DynaliteOptions = { path: string; createTableMs: number; updateTableMs: number; deleteTableMs: number };
// dynalite ships no types; it returns a plain node:http server whose close() also closes LevelDB.
const dynalite = createRequire(import.meta.url)('dynalite') as (options: DynaliteOptions) => Server;

/** An open embedded store: the adapter, and how to shut it down (LevelDB flushed and unlocked). */
export interface LocalDynamoDb {
  readonly store: StateStore;
  readonly path: string;
  close(): Promise<void>;
}

/**
 * 1. Start dynalite on LevelDB in `stateDir/dynamodb`, listening on a free loopback port only.
 * 2. Create the state table on first use (shaped as the CDK stack shapes it, without TTL: dynalite has none).
 * 3. Hand back the DynamoDB adapter over it.
 */
export async function openLocalDynamoDb(stateDir: string): Promise<LocalDynamoDb> {
  const path = join(stateDir, LOCAL_DYNAMODB_DIR);
  const server = dynalite({ path, createTableMs: 0, updateTableMs: 0, deleteTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  // The CLI exits when its work is done: the embedded server must not keep the process alive.
  server.unref();
  const { port } = server.address() as AddressInfo;
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'local',
    // dynalite checks that requests are signed, not by whom: these are not secrets.
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const close = async () => {
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  try {
    await ensureTable(client);
  } catch (error) {
    await close();
    throw lockedOrFailed(error, path);
  }
  return {
    store: new DynamoDbStateStore({ client: DynamoDBDocumentClient.from(client), tableName: LOCAL_TABLE }),
    path,
    close,
  };
}

async function ensureTable(client: DynamoDBClient): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: LOCAL_TABLE }));
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
    await createStateTable(client, LOCAL_TABLE, { timeToLive: false });
  }
}

/** LevelDB's lock error says "LOCK: Resource temporarily unavailable"; name what holds it instead. */
function lockedOrFailed(error: unknown, path: string): Error {
  const text = `${(error as Error)?.message ?? error} ${(error as { cause?: Error })?.cause?.message ?? ''}`;
  if (/LOCK|lock/.test(text))
    return new InvalidInputError(
      `${path} is in use by another process (a running standby serve?); stop it, or use another --state-dir`,
      { cause: error },
    );
  return error instanceof Error ? error : new Error(String(error));
}
