/**
 * Use case: what an approval or override link would do, shown before anyone acts (the approval page's
 * GET). Reads only — the app item and the backups' freshness — and decides with the same functions as
 * the POST that acts (`judgeDecision`, `overrideRefusal`, `evaluateGates`), so the page never promises
 * what the action will not do.
 */
import type { ApprovalClaims, TokenRefusal } from '../domain/approval-token.ts';
import { formatAge } from '../domain/duration.ts';
import type { Failover } from '../domain/failover.ts';
import type { Freshness } from '../domain/freshness.ts';
import { evaluateGates, type GateResult } from '../domain/gates.ts';
import type { RecoveryPlan } from '../domain/plan.ts';
import type { Controller } from './controller.ts';
import { type Approver, checkToken, decisionEvent, judgeDecision } from './decide-approval.ts';
import { readAppState } from './failover-repository.ts';
import { overrideRefusal } from './override-refusal.ts';
import { auditPlan } from './request-failover.ts';

/** The data one resource's restore would lose: the age of the point it restores against the RPO. */
export interface DataLossRow {
  readonly resource: string;
  readonly rpoSeconds: number;
  /** Age of the point restored, now; `null` when it is not known. */
  readonly ageSeconds: number | null;
  readonly recoveryPoint: string | null;
  readonly status: Freshness['status'];
  readonly note?: string;
}

/** The data-loss rows, or why the backups could not be read now. */
export type DataLoss = { readonly rows: readonly DataLossRow[] } | { readonly unknown: string };

/** What a link would do. */
export type TokenPreview =
  | {
      readonly ok: false;
      readonly app: string | null;
      readonly reason: string;
      readonly refusal?: TokenRefusal;
    }
  | {
      readonly ok: true;
      readonly action: 'approve' | 'reject';
      readonly claims: ApprovalClaims;
      readonly plan: RecoveryPlan;
      readonly failover: Failover;
      readonly dataLoss: DataLoss;
    }
  | {
      readonly ok: true;
      readonly action: 'override';
      readonly claims: ApprovalClaims;
      readonly plan: RecoveryPlan;
      /** The refused failover the link overrides. */
      readonly refused: Failover;
      /** Every gate's verdict now, with the link's gates accepted. */
      readonly gates: readonly GateResult[];
      /** Why the failover would still be refused (a gate the link cannot override), if it would. */
      readonly stillRefused?: string;
      readonly dataLoss: DataLoss;
    };

/** Whoever looks at the page: nobody is recorded by a GET. */
// Stryker disable next-line ObjectLiteral,StringLiteral,BooleanLiteral: who views is never recorded, and judgeDecision does not read it.
const VIEWER: Approver = { id: 'viewer', authenticated: false };

/**
 * 1. Check the token as the action would (form, signature, expiry, app of the plan set).
 * 2. Read the app item and judge the link with the action's own function; a link that cannot act says why.
 * 3. Audit the plan's backups now: the age of each point the restores would use, against its RPO (an
 *    unreadable inventory makes the data loss "unknown", never a failed page).
 */
export async function previewToken(
  controller: Pick<Controller, 'store' | 'clock' | 'approvalKeys' | 'inventory'>,
  plans: readonly RecoveryPlan[],
  token: string,
  requested: ApprovalClaims['decision'],
): Promise<TokenPreview> {
  const now = controller.clock.now();
  const checked = checkToken(token, await controller.approvalKeys(), now, plans, requested);
  if (!checked.ok) return checked;
  const { claims, plan } = checked;
  const state = await readAppState(controller.store, plan.name);
  if (claims.decision === 'override') {
    const refused = overrideRefusal(state, claims);
    if (refused) return { ok: false, app: plan.name, ...refused };
    // overrideRefusal refuses a link when the app has no failover: the one it overrides is there.
    const overridden = state.failover!;
    const freshness = await readFreshness(controller, plan);
    const verdict =
      'rows' in freshness
        ? evaluateGates({
            plan,
            lastCompletedAt: state.lastCompletedAt,
            freshness: freshness.rows,
            now,
            // Stryker disable next-line ArrayDeclaration: an override token always names the gates it accepts (refusal-notices signs one only then).
            accept: claims.accept ?? [],
          })
        : undefined;
    return {
      ok: true,
      action: 'override',
      claims,
      plan,
      refused: overridden,
      gates: verdict?.gates ?? [],
      ...(verdict?.refusal ? { stillRefused: verdict.refusal } : {}),
      dataLoss: 'rows' in freshness ? { rows: freshness.rows.map(rowOf) } : freshness,
    };
  }
  const judged = judgeDecision(
    state,
    claims,
    decisionEvent({ ...claims, decision: claims.decision }, VIEWER, now),
  );
  if (!judged.ok) return { ok: false, app: plan.name, reason: judged.reason, refusal: judged.refusal };
  const failover = state.failover!;
  const freshness = await readFreshness(controller, plan);
  return {
    ok: true,
    action: claims.decision,
    claims,
    plan,
    failover,
    dataLoss: 'rows' in freshness ? { rows: pointsOf(failover, freshness.rows) } : freshness,
  };
}

async function readFreshness(
  controller: Pick<Controller, 'clock' | 'inventory'>,
  plan: RecoveryPlan,
): Promise<{ readonly rows: readonly Freshness[] } | { readonly unknown: string }> {
  try {
    return { rows: (await auditPlan(controller, plan)).freshness };
  } catch (error) {
    return {
      unknown: `the backups could not be read now (${error instanceof Error ? error.name : 'error'})`,
    };
  }
}

const rowOf = (f: Freshness): DataLossRow => ({
  resource: f.resource,
  rpoSeconds: f.rpoSeconds,
  ageSeconds: f.ageSeconds,
  recoveryPoint: f.recoveryPoint,
  status: f.status,
});

/** The points the failover chose at its trigger, aged now where the audit still sees them as newest. */
function pointsOf(failover: Failover, freshness: readonly Freshness[]): DataLossRow[] {
  return failover.steps.flatMap((step) => {
    if (step.kind !== 'restore') return [];
    const now = freshness.find((f) => f.resource === step.resource);
    if (!now)
      return [
        {
          resource: step.resource,
          rpoSeconds: 0,
          ageSeconds: null,
          recoveryPoint: step.recoveryPoint,
          status: 'unknown' as const,
        },
      ];
    if (now.recoveryPoint === step.recoveryPoint) return [rowOf(now)];
    return [
      {
        ...rowOf(now),
        ageSeconds: null,
        recoveryPoint: step.recoveryPoint,
        note:
          `the point chosen when the failover was triggered; a newer point exists now` +
          (now.ageSeconds === null
            ? ''
            : ` (${formatAge(now.ageSeconds)} old), so this one is older than that`),
      },
    ];
  });
}
