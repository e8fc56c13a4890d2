/**
 * Whether Azure backup vaults are immutable, read from the vault's own GET: its
 * `properties.securitySettings` (immutability `Disabled` / `Unlocked` / `Locked`, soft delete). The
 * same shape in both providers — Data Protection backup vaults (`BackupVaults_Get`) and Recovery
 * Services vaults (`Vaults_Get`, whose soft delete says `softDeleteState`) — so one reader serves both,
 * each given the vault ids of its provider. A vault that cannot be read is `unknown`, with the error.
 */
import type { Client } from '@azure-rest/core-client';
import { azureVaultProtection, Immutability, type VaultProtection } from '#shared/domain/vault-protection.ts';
import { armBody, armPath } from './arm-pipeline.ts';

type SecuritySettings = Parameters<typeof azureVaultProtection>[1];

/** Reads each vault of `vaults` that `ofProvider` matches (others are left out) with `operation`. */
export function readVaultProtection(
  client: Client,
  operation: string,
  vaults: readonly string[],
  ofProvider: RegExp,
): Promise<VaultProtection[]> {
  return Promise.all(
    vaults
      .filter((v) => ofProvider.test(v))
      .map(async (vault): Promise<VaultProtection> => {
        try {
          const body = armBody(operation, await client.pathUnchecked(armPath(vault)).get()) as
            | { properties?: { securitySettings?: SecuritySettings } }
            | undefined;
          return azureVaultProtection(vault, body?.properties?.securitySettings ?? {});
        } catch (error) {
          return {
            vault,
            immutability: Immutability.Unknown,
            minRetentionDays: null,
            softDelete: null,
            detail: `${operation} failed: ${(error as Error).message}`,
          };
        }
      }),
  );
}
