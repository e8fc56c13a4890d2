import { describe, expect, it } from 'vitest';
import { appendEvidence, readChain } from '#shared/application/evidence-log.ts';
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

describe('recordAuditEvidence, what a record holds', () => {
  const row = (resource: string, status: FreshnessStatus, ageSeconds: number | null) => ({
    resource,
    status,
    ageSeconds,
    rpoSeconds: 300,
    recoveryPoint: ageSeconds === null ? null : `rp-${resource}`,
    lastJob: null,
    reason: '',
    alert: status !== 'ok',
  });
  const locked: VaultProtection = {
    vault: 'arn:aws:backup:eu-central-1:111122223333:backup-vault:dr-vault',
    immutability: Immutability.Locked,
    minRetentionDays: 35,
    softDelete: null,
    detail: 'Vault Lock in compliance mode',
  };

  it('records each status, the worst age (an unknown age counting as none) and every problem, and counts what it recorded', async () => {
    const store = new InMemoryStateStore();
    const audit: AuditReport = {
      generatedAt: '2026-11-21T12:00:00.000Z',
      apps: [
        {
          name: 'a',
          freshness: [row('db', 'ok', 120), row('files', 'breach', 900), row('queue', 'missing', null)],
        },
        { name: 'b', freshness: [row('db', 'warning', 250)] },
      ],
      summary: { ok: 1, warning: 1, breach: 1, missing: 1, unknown: 0 },
    };
    expect(await recordAuditEvidence(store, audit)).toBe(2);
    expect((await readChain(store, 'a')).map((r) => r.value.data)).toEqual([
      {
        reason: 'change',
        statuses: { db: 'ok', files: 'breach', queue: 'missing' },
        worstAgeSeconds: 900,
        problems: ['files: breach', 'queue: missing'],
      },
    ]);
    // The same audit again the same day records nothing, and says so.
    expect(await recordAuditEvidence(store, { ...audit, generatedAt: '2026-11-21T12:05:00.000Z' })).toBe(0);
  });

  it('records a worst age of 0 when no age is known', async () => {
    const store = new InMemoryStateStore();
    await recordAuditEvidence(store, {
      generatedAt: '2026-11-21T12:00:00.000Z',
      apps: [{ name: 'a', freshness: [row('db', 'unknown', null)] }],
      summary: { ok: 0, warning: 0, breach: 0, missing: 0, unknown: 1 },
    });
    expect((await readChain(store, 'a'))[0]!.value.data['worstAgeSeconds']).toBe(0);
  });

  it('compares with the last audit record, not with a failover record written after it', async () => {
    const store = new InMemoryStateStore();
    await recordAuditEvidence(store, report('2026-11-21T12:00:00.000Z', 'ok'));
    await appendEvidence(store, 'a', [
      {
        kind: 'phase',
        at: '2026-11-21T12:01:00.000Z',
        ref: 'failover/f1/phase/0',
        data: { phase: 'restoring' },
      },
    ]);
    expect(await recordAuditEvidence(store, report('2026-11-21T12:05:00.000Z', 'ok'))).toBe(0);
    expect((await readChain(store, 'a')).map((r) => r.value.kind)).toEqual(['audit', 'phase']);
  });

  it('records vaults read for the first time as a change, and vaults not read this time as none', async () => {
    const store = new InMemoryStateStore();
    await recordAuditEvidence(store, report('2026-11-21T12:00:00.000Z', 'ok'));
    expect(await recordAuditEvidence(store, report('2026-11-21T12:05:00.000Z', 'ok', [locked]))).toBe(1);
    // An inventory that could not read protection this time is no change of the vaults.
    expect(await recordAuditEvidence(store, report('2026-11-21T12:10:00.000Z', 'ok'))).toBe(0);
    const chain = (await readChain(store, 'a')).map((r) => [r.value.at, r.value.data['reason']]);
    expect(chain).toEqual([
      ['2026-11-21T12:00:00.000Z', 'change'],
      ['2026-11-21T12:05:00.000Z', 'change'],
    ]);
  });
});
