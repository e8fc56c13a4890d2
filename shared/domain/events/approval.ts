/**
 * Standby's own inputs: an approval or rejection of a pending failover (`{"standby": "approval", ...}`),
 * as the approval link or the CLI sends it.
 */
import * as z from 'zod';
import { parse, parseTime, preview, reject } from './decoding.ts';
import { type ApprovalEvent, Delivery, type EventRejection, EventSource } from './types.ts';

const approvalInput = z.object({
  standby: z.literal('approval'),
  token: z.string().min(1).max(4096),
  decision: z.enum(['approve', 'reject']),
  actor: z.string().max(256).optional(),
  at: z.string().optional(),
});

/** Decodes a Standby input; only `approval` exists, anything else is rejected naming what it was. */
export function decodeStandbyInput(raw: Record<string, unknown>): ApprovalEvent | EventRejection {
  if (raw['standby'] !== 'approval')
    return reject(
      `standby: unknown Standby input ${preview(raw['standby'])}; expected "approval"`,
      EventSource.Standby,
    );
  const p = parse(approvalInput, raw, 'Standby approval');
  if (!p.ok) return reject(p.reason, EventSource.Standby);
  const a = p.value;
  const at = a.at === undefined ? undefined : parseTime(a.at);
  if (a.at !== undefined && !at)
    return reject(`Standby approval: at: not a timestamp (received ${preview(a.at)})`, EventSource.Standby);
  return {
    accepted: true,
    kind: 'approval',
    source: EventSource.Standby,
    via: Delivery.Standby,
    ...(at ? { occurredAt: at } : {}),
    // A token is single-use: the same token with the same decision is the same fact.
    dedupKey: `approval:${a.token}:${a.decision}`,
    token: a.token,
    decision: a.decision,
    ...(a.actor ? { actor: a.actor } : {}),
  };
}
