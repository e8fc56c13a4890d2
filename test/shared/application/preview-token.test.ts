import { describe, expect, it } from 'vitest';
import { decideApproval } from '#shared/application/decide-approval.ts';
import { overrideByLink } from '#shared/application/override-refusal.ts';
import { previewToken } from '#shared/application/preview-token.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import type { ResourceObservation } from '#shared/domain/recovery-point.ts';
import type { BackupInventory, InventoryRequest } from '#shared/ports/backup-inventory.ts';
import { awaitingApproval, refusedStale } from '../../support/approval-links.ts';
import { t0 } from '../../support/engine-world.ts';
import { approvalPlan } from '../../support/failovers.ts';

/** An inventory whose every resource has one point `rp-<name>-<suffix>`, `ageSeconds` old. */
const newerPoints = (suffix: string, ageSeconds: number | 'none'): BackupInventory => ({
  observe: async (requests: readonly InventoryRequest[]) =>
    new Map(
      requests.map((r): [string, ResourceObservation] => [
        r.key,
        {
          ok: true,
          jobs: [],
          points:
            ageSeconds === 'none'
              ? []
              : [
                  {
                    id: `rp-${r.key.split('/')[1]}-${suffix}`,
                    location: {
                      kind: 'aws-vault',
                      vaultArn: r.source.kind === 'aws-backup' ? r.source.vaultArn : '',
                    },
                    state: 'completed',
                    providerStatus: 'COMPLETED',
                    createdAt: new Date(t0.getTime() - ageSeconds * 1000),
                    isCopy: false,
                  },
                ],
        },
      ]),
    ),
});
const failing = (thrown: unknown): BackupInventory => ({
  observe: async () => {
    throw thrown;
  },
});
class Throttled extends Error {
  override name = 'ThrottlingException';
}

describe('previewToken of an approval link', () => {
  it('shows what approving would do and the data each restore would lose, writing nothing', async () => {
    const w = await awaitingApproval({ 'case-db': 120, 'case-api': 600 });
    const before = await w.snapshot();
    const preview = await previewToken(w.controller, w.plans, w.approveToken, 'approve');
    expect(preview).toMatchObject({ ok: true, action: 'approve', failover: { id: w.failoverId } });
    expect(preview.ok && 'failover' in preview && preview.dataLoss).toEqual({
      rows: [
        { resource: 'case-db', rpoSeconds: 300, ageSeconds: 120, recoveryPoint: 'rp-case-db', status: 'ok' },
        {
          resource: 'case-api',
          rpoSeconds: 900,
          ageSeconds: 600,
          recoveryPoint: 'rp-case-api',
          status: 'ok',
        },
      ],
    });
    expect(await w.snapshot()).toEqual(before);
  });

  it('shows a reject link as a rejection', async () => {
    const w = await awaitingApproval();
    expect(await previewToken(w.controller, w.plans, w.rejectToken, 'reject')).toMatchObject({
      ok: true,
      action: 'reject',
    });
  });

  it('refuses a link asked to do what it is not for, naming no app', async () => {
    const w = await awaitingApproval();
    expect(await previewToken(w.controller, w.plans, w.approveToken, 'reject')).toMatchObject({
      ok: false,
      app: null,
      refusal: 'wrong-decision',
    });
  });

  it('says a used link is used, as the action would', async () => {
    const w = await awaitingApproval();
    await decideApproval(w.controller, w.plans, w.approveToken, { id: 'alice', authenticated: true });
    expect(await previewToken(w.controller, w.plans, w.rejectToken, 'reject')).toEqual({
      ok: false,
      app: 'case-management',
      refusal: 'used',
      reason: `failover ${w.failoverId} was already approved by alice`,
    });
  });

  it('shows the point chosen at the trigger as older than a newer one seen now, with its age when known', async () => {
    const w = await awaitingApproval();
    const newer = await previewToken(
      { ...w.controller, inventory: newerPoints('2', 90) },
      w.plans,
      w.approveToken,
      'approve',
    );
    expect(newer.ok && 'failover' in newer && newer.dataLoss).toEqual({
      rows: ['case-db', 'case-api'].map((resource) => ({
        resource,
        rpoSeconds: resource === 'case-db' ? 300 : 900,
        ageSeconds: null,
        recoveryPoint: `rp-${resource}`,
        status: 'ok',
        note: 'the point chosen when the failover was triggered; a newer point exists now (1m 30s old), so this one is older than that',
      })),
    });
    const gone = await previewToken(
      { ...w.controller, inventory: newerPoints('2', 'none') },
      w.plans,
      w.approveToken,
      'approve',
    );
    expect(gone.ok && 'failover' in gone && 'rows' in gone.dataLoss && gone.dataLoss.rows[0]).toEqual({
      resource: 'case-db',
      rpoSeconds: 300,
      ageSeconds: null,
      recoveryPoint: 'rp-case-db',
      status: 'missing',
      note: 'the point chosen when the failover was triggered; a newer point exists now',
    });
  });

  it('shows a restore of a resource the plan no longer names as unknown', async () => {
    const w = await awaitingApproval();
    const edited: RecoveryPlan = { ...approvalPlan(), resources: approvalPlan().resources.slice(0, 1) };
    const preview = await previewToken(w.controller, [edited], w.approveToken, 'approve');
    expect(
      preview.ok && 'failover' in preview && 'rows' in preview.dataLoss && preview.dataLoss.rows[1],
    ).toEqual({
      resource: 'case-api',
      rpoSeconds: 0,
      ageSeconds: null,
      recoveryPoint: 'rp-case-api',
      status: 'unknown',
    });
  });

  it.each([
    ['an error', new Throttled('slow down'), 'ThrottlingException'],
    ['something else', 'boom', 'error'],
  ])('shows the data loss as unknown when the backups cannot be read (%s)', async (_, thrown, name) => {
    const w = await awaitingApproval();
    const preview = await previewToken(
      { ...w.controller, inventory: failing(thrown) },
      w.plans,
      w.approveToken,
      'approve',
    );
    expect(preview.ok && preview.dataLoss).toEqual({
      unknown: `the backups could not be read now (${name})`,
    });
  });
});

describe('previewToken of a "fail over anyway" link', () => {
  it('shows the refused failover, every gate with the link’s accepted, and the data an override accepts losing', async () => {
    const w = await refusedStale();
    const before = await w.snapshot();
    const preview = await previewToken(w.controller, w.plans, w.overrideToken, 'override');
    expect(preview).toMatchObject({ ok: true, action: 'override', refused: { id: w.refusedId } });
    if (!preview.ok || preview.action !== 'override') throw new Error('expected an override preview');
    expect(preview.gates.map((g) => [g.gate, g.passed, g.overridden ?? false])).toEqual([
      ['cooldown', true, false],
      ['restorable', true, false],
      ['recovery-points', true, false],
      ['fresh-backups', true, true],
    ]);
    expect(preview).not.toHaveProperty('stillRefused');
    expect(preview.dataLoss).toEqual({
      rows: [
        {
          resource: 'case-db',
          rpoSeconds: 300,
          ageSeconds: 7200,
          recoveryPoint: 'rp-case-db',
          status: 'breach',
        },
        { resource: 'case-api', rpoSeconds: 900, ageSeconds: 60, recoveryPoint: 'rp-case-api', status: 'ok' },
      ],
    });
    expect(await w.snapshot()).toEqual(before);
  });

  it('says why the failover would still be refused by a gate the link cannot accept', async () => {
    const w = await refusedStale();
    const preview = await previewToken(
      { ...w.controller, inventory: newerPoints('2', 'none') },
      w.plans,
      w.overrideToken,
      'override',
    );
    expect(preview.ok && preview.action === 'override' && preview.stillRefused).toMatch(/case-db/);
  });

  it('shows no gates and unknown data loss when the backups cannot be read', async () => {
    const w = await refusedStale();
    const preview = await previewToken(
      { ...w.controller, inventory: failing(new Throttled('x')) },
      w.plans,
      w.overrideToken,
      'override',
    );
    expect(preview).toMatchObject({
      ok: true,
      action: 'override',
      gates: [],
      dataLoss: { unknown: 'the backups could not be read now (ThrottlingException)' },
    });
    expect(preview).not.toHaveProperty('stillRefused');
  });

  it('says a used link is used', async () => {
    const w = await refusedStale();
    await overrideByLink(
      w.controller,
      w.plans,
      w.overrideToken,
      { id: 'alice', authenticated: true },
      'outage',
    );
    expect(await previewToken(w.controller, w.plans, w.overrideToken, 'override')).toMatchObject({
      ok: false,
      app: 'case-management',
      refusal: 'used',
    });
  });
});
