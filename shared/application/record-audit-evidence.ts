/**
 * Use case: put a freshness audit on each application's evidence chain — a summary, not every row
 * every five minutes: a record when an application's outcome (the status of each resource, or whether
 * a recovery vault is immutable) changed since its last audit record, and otherwise the day's first
 * audit as its daily digest. Vaults are recorded with their finding, as read at audit time.
 */
import { type EvidenceDraft, EvidenceKind, type EvidenceRecord } from '../domain/evidence.ts';
import { vaultFinding } from '../domain/vault-protection.ts';
import type { StateStore } from '../ports/state-store.ts';
import { appendEvidence, readChain } from './evidence-log.ts';
import type { AppAudit, AuditReport } from './run-audit.ts';

/** Why an audit is on record. */
export type AuditRecordReason = 'change' | 'daily-digest';

/**
 * The audit record of `app` after `last` (its previous audit record), or none: a change of any
 * resource's status is recorded; an unchanged outcome only as the first audit of a UTC day.
 */
export function auditDraft(
  app: AppAudit,
  at: string,
  last: EvidenceRecord | undefined,
): EvidenceDraft | undefined {
  const statuses = Object.fromEntries(app.freshness.map((f) => [f.resource, f.status]));
  const vaults = app.vaults?.map((v) => ({
    vault: v.vault,
    immutability: v.immutability,
    detail: v.detail,
    finding: vaultFinding(v),
  }));
  const immutability = (vs: unknown) =>
    JSON.stringify(
      (vs as { vault: string; immutability: string }[] | undefined)?.map((v) => [v.vault, v.immutability]),
    );
  const changed =
    JSON.stringify(last?.data['statuses']) !== JSON.stringify(statuses) ||
    // Stryker disable next-line OptionalChaining: without a last record the statuses differ, so `||` never gets here.
    (vaults !== undefined && immutability(last?.data['vaults']) !== immutability(vaults));
  const newDay = last === undefined || last.at.slice(0, 10) !== at.slice(0, 10);
  if (!changed && !newDay) return undefined;
  const reason: AuditRecordReason = changed ? 'change' : 'daily-digest';
  return {
    kind: EvidenceKind.Audit,
    at,
    ref: `audit/${at}`,
    data: {
      reason,
      statuses,
      worstAgeSeconds: Math.max(0, ...app.freshness.map((f) => f.ageSeconds ?? 0)),
      problems: app.freshness.filter((f) => f.status !== 'ok').map((f) => `${f.resource}: ${f.status}`),
      ...(vaults ? { vaults } : {}),
    },
  };
}

/** Records `report` on the chain of each of its applications where {@link auditDraft} says so. */
export async function recordAuditEvidence(store: StateStore, report: AuditReport): Promise<number> {
  let recorded = 0;
  for (const app of report.apps) {
    const chain = await readChain(store, app.name);
    const last = chain.findLast((r) => r.value.kind === EvidenceKind.Audit)?.value;
    const draft = auditDraft(app, report.generatedAt, last);
    if (draft) recorded += (await appendEvidence(store, app.name, [draft])).length;
  }
  return recorded;
}
