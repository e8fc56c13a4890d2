import type { NotifyTarget } from '../domain/plan.ts';

/** A message for humans: an approval request, a freshness alert, a failover outcome. */
export interface Notification {
  readonly app: string;
  readonly channel: 'sns' | 'teams';
  /** The SNS topic ARN or the Teams webhook reference (never the secret itself). */
  readonly target: string;
  readonly kind: 'approval-request' | 'freshness-alert' | 'failover-ended' | 'failover-refused';
  readonly at: string;
  readonly failoverId?: string;
  readonly approveToken?: string;
  readonly rejectToken?: string;
  /** A refusal's break-glass "fail over anyway" token, when every refusing gate may be overridden. */
  readonly overrideToken?: string;
  readonly expiresAt?: string;
  readonly text: string;
}

/**
 * A notification as the store keeps it: never with its tokens (they exist only in the delivered
 * message), with the hashes of their nonces as evidence of which token later acted.
 */
export type StoredNotification = Omit<Notification, 'approveToken' | 'rejectToken' | 'overrideToken'> & {
  /** `channel:target` the tokens were bound to. */
  readonly recipient?: string;
  readonly tokenNonces?: { readonly approve?: string; readonly reject?: string; readonly override?: string };
  readonly delivered: boolean;
};

/** Delivers notifications (SNS e-mail, Teams card). Delivery failures are reported, not thrown. */
export interface Notifier {
  send(notification: Notification): Promise<{ readonly delivered: boolean; readonly detail?: string }>;
}

/** The channel and target of a plan's notify entry. */
export function describeTarget(target: NotifyTarget): { channel: 'sns' | 'teams'; target: string } {
  return 'sns' in target
    ? { channel: 'sns', target: target.sns }
    : { channel: 'teams', target: target.teams.webhookUrl };
}
