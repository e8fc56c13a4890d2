/**
 * Evidence records of the test application, built by hand for the report tests: a chain sealed from
 * drafts, drills that met every objective unless told otherwise, phase and audit records, and the
 * report built from them at a fixed time.
 */
import type { DrillResult, ResourceMeasurement } from '#shared/domain/drill.ts';
import {
  type ChainVerdict,
  type EvidenceDraft,
  type EvidenceRecord,
  sealRecord,
} from '#shared/domain/evidence.ts';
import { buildAppEvidence } from '#shared/domain/evidence-report.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { loadPlan } from './plans.ts';

export const NOW = new Date('2026-11-30T09:00:00.000Z');
export const OK: ChainVerdict = { ok: true, app: 'case-management', records: 1 };
/** case-management: RPO 15m (case-db 5m, case-api 15m), RTO 1h, eu-west-1 → eu-central-1. */
export const plan = loadPlan();
export const scheduled = (schedule: string): RecoveryPlan => ({ ...plan, drill: { schedule, keep: false } });

/** Seals drafts into one chain of case-management, oldest first. */
export function records(...drafts: EvidenceDraft[]): EvidenceRecord[] {
  const out: EvidenceRecord[] = [];
  for (const d of drafts) out.push(sealRecord('case-management', out.at(-1), d));
  return out;
}
export const measured = (
  resource: string,
  rpoSeconds: number | null,
  rpoTargetSeconds: number,
): ResourceMeasurement => ({
  resource,
  recoveryPoint: `rp-${resource}`,
  rpoSeconds,
  rpoTargetSeconds,
  restoreSeconds: 600,
  createdResource: null,
  tornDown: true,
});
/** A drill that completed at L3 within every objective (case-db 2m of 5m, case-api 5m of 15m, RTO 20m). */
export const drill = (drillId: string, change: Partial<DrillResult> = {}): DrillResult => ({
  drillId,
  outcome: 'completed',
  startedAt: '2026-11-21T12:00:00.000Z',
  endedAt: '2026-11-21T12:25:00.000Z',
  rpoSeconds: 120,
  rpoTargetSeconds: 300,
  rpoResource: 'case-db',
  rtoSeconds: 1200,
  rtoTargetSeconds: 3600,
  level: 'L3',
  resources: [measured('case-db', 120, 300), measured('case-api', 300, 900)],
  failedChecks: [],
  leftBehind: [],
  ...change,
});
export const drillRecord = (d: DrillResult, at = d.endedAt ?? d.startedAt): EvidenceDraft => ({
  kind: 'drill',
  at,
  ref: `drill/${d.drillId}`,
  data: d as unknown as Record<string, unknown>,
});
export const phase = (
  failoverId: string,
  n: number,
  at: string,
  data: Record<string, unknown> = {},
): EvidenceDraft => ({
  kind: 'phase',
  at,
  ref: `failover/${failoverId}/phase/${n}`,
  data: { purpose: 'failover', failoverId, phase: 'restoring', reason: `step ${n}`, ...data },
});
export const audit = (at: string, data: Record<string, unknown>): EvidenceDraft => ({
  kind: 'audit',
  at,
  ref: `audit/case-management/${at}`,
  data,
});
export const report = (rs: EvidenceRecord[], p: RecoveryPlan = plan, chain: ChainVerdict = OK) =>
  buildAppEvidence(p, rs, chain, NOW);
