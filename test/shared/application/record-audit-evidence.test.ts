import { describe, expect, it } from 'vitest';
import { readChain } from '#shared/application/evidence-log.ts';
import { InMemoryStateStore } from '#shared/application/in-memory-state-store.ts';
import { recordAuditEvidence } from '#shared/application/record-audit-evidence.ts';
import type { AuditReport } from '#shared/application/run-audit.ts';
import type { FreshnessStatus } from '#shared/domain/freshness.ts';
import { Immutability, type VaultProtection } from '#shared/domain/vault-protection.ts';

const report = (at: string, status: FreshnessStatus, vaults?: readonly VaultProtection[]): AuditReport => ({
  generatedAt: at,
  apps: [
    {
      name: 'a',
      ...(vaults ? { vaults } : {}),
      freshness: [
        {
          resource: 'db',
          status,
          ageSeconds: 60,
          rpoSeconds: 300,
          recoveryPoint: 'rp',
          lastJob: null,
          reason: '',
          alert: status !== 'ok',
        },
      ],
    },
  ],
  summary: { ok: 1, warning: 0, breach: 0, missing: 0, unknown: 0 },
});

describe('recordAuditEvidence', () => {
  it('records changes and one digest a day, not every audit', async () => {
    const store = new InMemoryStateStore();
    const audits: [string, FreshnessStatus][] = [
      ['2026-11-21T12:00:00.000Z', 'ok'], // first: a change from nothing
      ['2026-11-21T12:05:00.000Z', 'ok'], // same outcome, same day: nothing
      ['2026-11-21T12:10:00.000Z', 'breach'], // change
      ['2026-11-21T12:15:00.000Z', 'breach'], // nothing
      ['2026-11-22T00:00:00.000Z', 'breach'], // a new day: the digest
      ['2026-11-22T00:05:00.000Z', 'breach'], // nothing
    ];
    for (const [at, status] of audits) await recordAuditEvidence(store, report(at, status));
    const chain = (await readChain(store, 'a')).map((r) => [r.value.at, r.value.data['reason']]);
    expect(chain).toEqual([
      ['2026-11-21T12:00:00.000Z', 'change'],
      ['2026-11-21T12:10:00.000Z', 'change'],
      ['2026-11-22T00:00:00.000Z', 'daily-digest'],
    ]);
  });

  it('records a vault whose immutability changed, with its finding', async () => {
    const store = new InMemoryStateStore();
    const vault = (immutability: Immutability): VaultProtection => ({
      vault: 'arn:aws:backup:eu-central-1:111122223333:backup-vault:dr-vault',
      immutability,
      minRetentionDays: null,
      softDelete: null,
      detail: immutability === Immutability.Locked ? 'Vault Lock in compliance mode' : 'no Vault Lock',
    });
    await recordAuditEvidence(store, report('2026-11-21T12:00:00.000Z', 'ok', [vault(Immutability.Locked)]));
    await recordAuditEvidence(store, report('2026-11-21T12:05:00.000Z', 'ok', [vault(Immutability.Locked)]));
    await recordAuditEvidence(store, report('2026-11-21T12:10:00.000Z', 'ok', [vault(Immutability.None)]));
    const chain = (await readChain(store, 'a')).map((r) => r.value);
    expect(chain.map((r) => r.at)).toEqual(['2026-11-21T12:00:00.000Z', '2026-11-21T12:10:00.000Z']);
    expect(chain[0]!.data['vaults']).toEqual([
      {
        vault: vault(Immutability.Locked).vault,
        immutability: 'locked',
        detail: 'Vault Lock in compliance mode',
        finding: null,
      },
    ]);
    expect(chain[1]!.data['vaults']).toEqual([
      {
        vault: vault(Immutability.None).vault,
        immutability: 'none',
        detail: 'no Vault Lock',
        finding: `${vault(Immutability.None).vault}: not immutable (no Vault Lock); recovery points can be deleted — enable a vault lock`,
      },
    ]);
  });
});
