/**
 * Whether the vaults holding an application's recovery points are immutable — what survives
 * ransomware and operator error (issue DRILL, evidence report). Read at audit time from the clouds'
 * own settings: AWS Backup Vault Lock (`Locked`, `LockDate`, `MinRetentionDays`, the vault type),
 * Azure Backup vault immutability (`Disabled` / `Unlocked` / `Locked`) and soft delete. Anything less
 * than an irreversible lock is a finding, said in words.
 */
import type { RecoveryPlan } from './plan.ts';

/** How strongly a vault protects its recovery points from deletion. */
export const Immutability = {
  /** Irreversible: AWS Vault Lock past its lock date (compliance mode) or an air-gapped vault; Azure `Locked`. */
  Locked: 'locked',
  /** Locked, but the lock can still be removed: AWS governance mode or before the lock date; Azure `Unlocked`. */
  Removable: 'removable',
  /** No lock: recovery points can be deleted by anyone allowed to. */
  None: 'none',
  /** The setting could not be read. */
  Unknown: 'unknown',
} as const;
export type Immutability = (typeof Immutability)[keyof typeof Immutability];

/** One vault's protection, as read. */
export interface VaultProtection {
  /** AWS vault ARN or Azure vault id. */
  readonly vault: string;
  readonly immutability: Immutability;
  /** The minimum retention the lock enforces, in days (AWS), when set. */
  readonly minRetentionDays: number | null;
  /** Azure soft delete: `always-on` cannot be turned off. Null on AWS. */
  readonly softDelete: 'always-on' | 'on' | 'off' | null;
  /** What was read, in words (e.g. "Vault Lock in compliance mode since 2026-01-04, min retention 35d"). */
  readonly detail: string;
}

/** The finding a vault's protection gives, or null when it is immutable. */
export function vaultFinding(p: VaultProtection): string | null {
  switch (p.immutability) {
    case Immutability.Locked:
      return p.softDelete === 'off' ? `${p.vault}: soft delete is off (${p.detail})` : null;
    case Immutability.Removable:
      return `${p.vault}: the lock can still be removed (${p.detail}); lock it irreversibly to survive a compromised administrator`;
    case Immutability.None:
      return `${p.vault}: not immutable (${p.detail}); recovery points can be deleted — enable a vault lock`;
    case Immutability.Unknown:
      return `${p.vault}: immutability could not be read (${p.detail})`;
  }
}

/**
 * AWS Backup's DescribeBackupVault answer → protection. An air-gapped vault is always locked; a lock
 * with a lock date in the past can no longer be changed (compliance mode); a lock without one, or
 * before its date, can still be removed (governance mode, or compliance mode's grace time).
 */
export function awsVaultProtection(
  vault: string,
  answer: {
    readonly VaultType?: string;
    readonly Locked?: boolean;
    readonly LockDate?: Date;
    readonly MinRetentionDays?: number;
  },
  now: Date,
): VaultProtection {
  const min = answer.MinRetentionDays ?? null;
  const retention = min === null ? '' : `, min retention ${min}d`;
  const base = { vault, minRetentionDays: min, softDelete: null } as const;
  if (answer.VaultType === 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT')
    return { ...base, immutability: Immutability.Locked, detail: `logically air-gapped vault${retention}` };
  if (!answer.Locked) return { ...base, immutability: Immutability.None, detail: 'no Vault Lock' };
  const lockDate = answer.LockDate;
  if (lockDate && lockDate.getTime() <= now.getTime())
    return {
      ...base,
      immutability: Immutability.Locked,
      detail: `Vault Lock in compliance mode since ${lockDate.toISOString()}${retention}`,
    };
  return {
    ...base,
    immutability: Immutability.Removable,
    detail: lockDate
      ? `Vault Lock in compliance mode from ${lockDate.toISOString()}; until then it can be removed${retention}`
      : `Vault Lock in governance mode${retention}`,
  };
}

/** Azure Backup vault security settings (Data Protection or Recovery Services) → protection. */
export function azureVaultProtection(
  vault: string,
  settings: {
    readonly immutabilitySettings?: { readonly state?: string };
    readonly softDeleteSettings?: { readonly state?: string; readonly softDeleteState?: string };
  },
): VaultProtection {
  const state = settings.immutabilitySettings?.state ?? 'Disabled';
  // Data Protection writes state (Off | On | AlwaysOn), Recovery Services softDeleteState (Enabled | Disabled | AlwaysON).
  const soft = (
    settings.softDeleteSettings?.state ??
    settings.softDeleteSettings?.softDeleteState ??
    // Stryker disable next-line StringLiteral: equivalent — any text that is no soft-delete state reads as off.
    ''
  ).toLowerCase();
  const softDelete = soft === 'alwayson' ? 'always-on' : soft === 'on' || soft === 'enabled' ? 'on' : 'off';
  const detail = `immutability ${state}, soft delete ${softDelete}`;
  const immutability =
    state === 'Locked'
      ? Immutability.Locked
      : state === 'Unlocked'
        ? Immutability.Removable
        : Immutability.None;
  return { vault, immutability, minRetentionDays: null, softDelete, detail };
}

/** The vaults an application's recovery points are counted in (AWS: the plan's recovery vaults). */
export function recoveryVaults(plan: RecoveryPlan): string[] {
  const vaults = plan.resources.flatMap((r) => {
    const s = r.source;
    if (s.kind === 'aws-backup') return [s.vaultArn];
    // Stryker disable next-line Regex: equivalent — a validated instance id ends with its instance name.
    if (s.kind === 'azure-backup') return [s.backupInstanceId.replace(/\/backupInstances\/[^/]+$/i, '')];
    // Stryker disable next-line Regex: equivalent — `.*` runs to the end of the id either way.
    return [s.protectedItemId.replace(/\/backupFabrics\/.*$/i, '')];
  });
  return [...new Set(vaults)];
}
