/**
 * An index of the simulated AWS Backup records, so a listing call costs what its page costs, not a
 * scan of every point in the world: recovery points by region and vault name (newest first, as the
 * listings answer), by ARN, and the set of vaults that exist. Built on first use and rebuilt when a
 * record list changes length or is replaced (the simulation and tests append to these lists; they
 * never move a record from one vault to another).
 */
import { parseArn } from '#shared/domain/identifiers.ts';
import type { World } from '../world.ts';

type WireRecord = Readonly<Record<string, unknown>>;

/** One point of a vault, with the account of its vault ARN (undefined when it has none). */
export interface IndexedPoint {
  readonly record: WireRecord;
  readonly account: string | undefined;
  /** Its position in `world.aws.recoveryPoints`: ties in CreationDate keep the world's order. */
  readonly position: number;
}

/** The index of one state of `world.aws`. */
export interface BackupIndex {
  /** The points of vault `name` in `region`, newest first; a point without vault ARN is in every region. */
  pointsOf(region: string, name: string): readonly IndexedPoint[];
  /** The point with this ARN, whichever vault it is in. */
  pointsByArn(arn: string): readonly WireRecord[];
  /** True when vault `name` exists in `region` (of `accountId`, when given). */
  hasVault(region: string, name: string, accountId: string | undefined): boolean;
}

const ANY_REGION = '*';

/** The region of an ARN-valued field, or undefined when it is not an ARN with a region. */
export function regionOf(arn: unknown): string | undefined {
  return typeof arn === 'string' ? parseArn(arn)?.region || undefined : undefined;
}

/** The vault name of a record: its `BackupVaultName`, or the name in its `BackupVaultArn`. */
export function vaultNameOf(record: WireRecord): string | undefined {
  if (typeof record['BackupVaultName'] === 'string') return record['BackupVaultName'];
  const resource =
    typeof record['BackupVaultArn'] === 'string' ? parseArn(record['BackupVaultArn'])?.resource : undefined;
  return resource?.startsWith('backup-vault:') ? resource.slice('backup-vault:'.length) : undefined;
}

/** Where a record is: region (ANY_REGION without a vault ARN), account and vault name. */
function placeOf(
  record: WireRecord,
): { region: string; account: string | undefined; name: string } | undefined {
  const name = vaultNameOf(record);
  if (name === undefined) return undefined;
  const arn = typeof record['BackupVaultArn'] === 'string' ? parseArn(record['BackupVaultArn']) : undefined;
  // A record without a vault ARN has no region of its own; it is taken to be wherever it is asked for.
  return arn
    ? { region: arn.region, account: arn.account, name }
    : { region: ANY_REGION, account: undefined, name };
}

const key = (region: string, name: string) => `${region}\n${name}`;
const creation = (r: WireRecord) => (typeof r['CreationDate'] === 'number' ? r['CreationDate'] : 0);
/** Newest first; equal CreationDates in the world's order, as a stable sort of the world's list gives. */
const newestFirst = (a: IndexedPoint, b: IndexedPoint) =>
  creation(b.record) - creation(a.record) || a.position - b.position;

function build(aws: World['aws']): BackupIndex {
  const byVault = new Map<string, IndexedPoint[]>();
  const byArn = new Map<string, WireRecord[]>();
  for (const [position, record] of aws.recoveryPoints.entries()) {
    const place = placeOf(record);
    if (place) {
      const k = key(place.region, place.name);
      const list = byVault.get(k);
      const entry = { record, account: place.account, position };
      if (list) list.push(entry);
      else byVault.set(k, [entry]);
    }
    const arn = record['RecoveryPointArn'];
    if (typeof arn === 'string') {
      const same = byArn.get(arn);
      if (same) same.push(record);
      else byArn.set(arn, [record]);
    }
  }
  for (const list of byVault.values()) list.sort(newestFirst);

  /** The accounts each vault exists in, by region and name; `undefined` for a record without vault ARN. */
  const vaults = new Map<string, Set<string | undefined>>();
  const destinations = aws.copyJobs.map((j) => ({ BackupVaultArn: j['DestinationBackupVaultArn'] }));
  for (const r of [...aws.backupVaults, ...aws.recoveryPoints, ...aws.backupJobs, ...destinations]) {
    const place = placeOf(r);
    if (!place) continue;
    const k = key(place.region, place.name);
    const accounts = vaults.get(k);
    if (accounts) accounts.add(place.account);
    else vaults.set(k, new Set([place.account]));
  }
  const merged = new Map<string, readonly IndexedPoint[]>();
  return {
    pointsOf(region, name) {
      const k = key(region, name);
      let list = merged.get(k);
      if (!list) {
        const here = byVault.get(k) ?? [];
        const anywhere = byVault.get(key(ANY_REGION, name)) ?? [];
        list = anywhere.length === 0 ? here : [...here, ...anywhere].sort(newestFirst);
        merged.set(k, list);
      }
      return list;
    },
    pointsByArn: (arn) => byArn.get(arn) ?? [],
    hasVault(region, name, accountId) {
      const accounts = [
        ...(vaults.get(key(region, name)) ?? []),
        ...(vaults.get(key(ANY_REGION, name)) ?? []),
      ];
      return accounts.some((a) => accountId === undefined || a === undefined || a === accountId);
    },
  };
}

const cache = new WeakMap<
  World['aws'],
  { readonly sizes: readonly unknown[]; readonly index: BackupIndex }
>();

/** The index of `aws` as it is now; built once per state of its record lists. */
export function backupIndex(aws: World['aws']): BackupIndex {
  const sizes = [
    aws.recoveryPoints,
    aws.recoveryPoints.length,
    aws.backupVaults,
    aws.backupVaults.length,
    aws.backupJobs,
    aws.backupJobs.length,
    aws.copyJobs,
    aws.copyJobs.length,
  ];
  const cached = cache.get(aws);
  if (cached?.sizes.every((s, i) => s === sizes[i])) return cached.index;
  const index = build(aws);
  cache.set(aws, { sizes, index });
  return index;
}
