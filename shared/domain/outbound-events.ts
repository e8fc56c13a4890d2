/**
 * The events Standby publishes (issue DRILL "Events out"), derived from evidence records — the chain
 * is the outbox: whatever is on record is published, at least once, in order. Pure.
 */
import type { OutboundEvent } from '../ports/event-publisher.ts';
import type { EvidenceKind, EvidenceRecord } from './evidence.ts';

/** The `detail-type` of each event Standby publishes. */
export const OUTBOUND_DETAIL_TYPES = {
  failoverStateChange: 'Standby Failover State Change',
  drillCompleted: 'Standby Drill Completed',
  freshnessBreach: 'Standby Freshness Breach',
} as const;

/** The event `source` on EventBridge (and `subject` prefix on Event Grid). */
export const EVENT_SOURCE = 'standby';

/** One mapping per evidence kind: adding a kind fails to compile until it says what it publishes. */
const EVENTS: {
  readonly [K in EvidenceKind]: (r: EvidenceRecord) => Omit<OutboundEvent, 'id' | 'time'> | undefined;
} = {
  phase: (r) =>
    r.data['purpose'] === 'failover'
      ? {
          detailType: OUTBOUND_DETAIL_TYPES.failoverStateChange,
          detail: {
            app: r.app,
            failoverId: r.data['failoverId'],
            phase: r.data['phase'],
            reason: r.data['reason'],
            ...(r.data['level'] ? { level: r.data['level'] } : {}),
          },
        }
      : undefined,
  approval: () => undefined,
  override: () => undefined,
  cleanup: () => undefined,
  audit: (r) => {
    const statuses = (r.data['statuses'] ?? {}) as Record<string, string>;
    const breached = Object.entries(statuses)
      .filter(([, s]) => s === 'breach' || s === 'missing' || s === 'unknown')
      .map(([resource, status]) => ({ resource, status }));
    return breached.length
      ? { detailType: OUTBOUND_DETAIL_TYPES.freshnessBreach, detail: { app: r.app, resources: breached } }
      : undefined;
  },
  drill: (r) => ({
    detailType: OUTBOUND_DETAIL_TYPES.drillCompleted,
    detail: {
      app: r.app,
      drillId: r.data['drillId'],
      outcome: r.data['outcome'],
      level: r.data['level'],
      rpoSeconds: r.data['rpoSeconds'],
      rpoTargetSeconds: r.data['rpoTargetSeconds'],
      rtoSeconds: r.data['rtoSeconds'],
      rtoTargetSeconds: r.data['rtoTargetSeconds'],
      failedChecks: r.data['failedChecks'],
      leftBehind: r.data['leftBehind'],
    },
  }),
};

/** The event an evidence record publishes, if any; its id is the record's hash. */
export function outboundEventOf(record: EvidenceRecord): OutboundEvent | undefined {
  const event = EVENTS[record.kind](record);
  return event && { id: record.hash, time: record.at, ...event };
}
