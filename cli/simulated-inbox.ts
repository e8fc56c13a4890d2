/**
 * The simulated inbox: approval tokens exist only in the messages delivered to people, never in the
 * controller's store. In a simulation the delivered SNS messages and Teams cards are kept in the
 * simulated cloud, so `status --json` (and the commands that print it) can show, next to each recorded
 * request, the tokens its recipient received — what a demo or a test needs to approve. Against the
 * real clouds there is no inbox, and no token is ever printed.
 */
import type { StatusReport } from '#shared/application/status.ts';
import { readUnverifiedClaims } from '#shared/domain/approval-token.ts';
import type { SimulatedCloud } from '#sim/cloud.ts';

const TOKEN = /\bsb2\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g;

/** Every approval token in the messages the simulated SNS topics and Teams channels delivered. */
export function deliveredTokens(cloud: SimulatedCloud): string[] {
  const text = JSON.stringify([cloud.world.aws.snsMessages, cloud.world.azure.teamsMessages]);
  return [...new Set(text.match(TOKEN) ?? [])];
}

/** The report with each approval request's delivered tokens added (`approveToken`, `rejectToken`). */
export function withDeliveredTokens(report: StatusReport, tokens: readonly string[]): StatusReport {
  if (tokens.length === 0) return report;
  const find = (failoverId: string | undefined, recipient: string, decision: 'approve' | 'reject') =>
    tokens.findLast((t) => {
      const c = readUnverifiedClaims(t);
      return c?.failoverId === failoverId && c?.recipient === recipient && c?.decision === decision;
    });
  return {
    ...report,
    apps: report.apps.map((app) => ({
      ...app,
      notifications: app.notifications.map((n) => {
        if (n.kind !== 'approval-request') return n;
        const recipient = `${n.channel}:${n.target}`;
        const approveToken = find(n.failoverId, recipient, 'approve');
        const rejectToken = find(n.failoverId, recipient, 'reject');
        return { ...n, ...(approveToken ? { approveToken } : {}), ...(rejectToken ? { rejectToken } : {}) };
      }),
    })),
  };
}
