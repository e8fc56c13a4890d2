/**
 * `audit --json` reads whether every recovery vault of the example world is immutable (issue DRILL,
 * point 4): AWS Backup Vault Lock (DescribeBackupVault), Data Protection backup vaults
 * (BackupVaults_Get) and Recovery Services vaults (Vaults_Get) — each from its own provider's answer.
 */
import { describe, expect, it } from 'vitest';
import { EXAMPLES, runCli } from './run-cli.ts';

interface AuditJson {
  apps: { name: string; vaults?: { vault: string; immutability: string; softDelete: string | null }[] }[];
}

describe('audit --json: recovery vault immutability', () => {
  it('reads every vault of the example world, Recovery Services included', async () => {
    const run = await runCli(['audit', ...EXAMPLES, '--json']);
    const apps = (JSON.parse(run.stdout) as AuditJson).apps;
    const vaults = Object.fromEntries(
      apps.map((a) => [
        a.name,
        (a.vaults ?? []).map((v) => [v.vault.split(/[/:]/).at(-1), v.immutability, v.softDelete]),
      ]),
    );
    expect(vaults).toEqual({
      'case-management': [['dr-vault', 'locked', null]],
      'citizen-portal': [
        ['bv-citizen-weu', 'removable', 'on'],
        ['rsv-citizen-weu', 'none', 'on'],
      ],
      payments: [['payments-dr', 'removable', null]],
    });
  });
});
