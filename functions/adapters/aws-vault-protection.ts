/**
 * Reads whether the planned recovery vaults are immutable: DescribeBackupVault in each vault's region
 * (and account), mapped by `awsVaultProtection`. One call per vault per audit; a vault that cannot be
 * read is reported `unknown` with the reason, never thrown.
 */
import { type BackupClient, DescribeBackupVaultCommand } from '@aws-sdk/client-backup';
import { parseArn } from '#shared/domain/identifiers.ts';
import { awsVaultProtection, Immutability, type VaultProtection } from '#shared/domain/vault-protection.ts';

/** The protection of each vault ARN in `vaults` (other ids are skipped). */
export async function readAwsVaultProtection(
  vaults: readonly string[],
  clientFor: (region: string) => BackupClient,
  now: Date,
): Promise<VaultProtection[]> {
  const arns = vaults.filter((v) => v.startsWith('arn:'));
  return Promise.all(
    arns.map(async (vault) => {
      const arn = parseArn(vault);
      const name = arn?.resource.replace(/^backup-vault:/, '');
      if (!arn?.region || !name)
        return unknown(
          vault,
          'not a backup vault ARN (arn:aws:backup:<region>:<account>:backup-vault:<name>)',
        );
      try {
        const answer = await clientFor(arn.region).send(
          new DescribeBackupVaultCommand({
            BackupVaultName: name,
            ...(arn.account ? { BackupVaultAccountId: arn.account } : {}),
          }),
        );
        return awsVaultProtection(vault, answer, now);
      } catch (error) {
        return unknown(vault, `backup:DescribeBackupVault failed: ${(error as Error).message}`);
      }
    }),
  );
}

const unknown = (vault: string, detail: string): VaultProtection => ({
  vault,
  immutability: Immutability.Unknown,
  minRetentionDays: null,
  softDelete: null,
  detail,
});
