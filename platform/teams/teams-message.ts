/**
 * The Microsoft Teams message of a notification: an Adaptive Card (1.4) in the envelope a Teams
 * Workflows webhook ("Send webhook alerts to a channel" / "When a Teams webhook request is received")
 * and an incoming webhook accept — `{ type: 'message', attachments: [{ contentType:
 * 'application/vnd.microsoft.card.adaptive', content: <card> }] }`. Approval requests and refusals get
 * `Action.OpenUrl` buttons to the approval endpoint's confirmation pages when a base URL is set, and
 * the CLI commands otherwise.
 */
import type { Notification } from '#shared/ports/notifier.ts';
import { type ApprovalLinks, approvalLinks } from '../approval-http/links.ts';

type CardElement = Record<string, unknown>;

const text = (t: string, extra: CardElement = {}): CardElement => ({
  type: 'TextBlock',
  text: t,
  wrap: true,
  ...extra,
});
const code = (t: string): CardElement => text(t, { fontType: 'Monospace' });
const open = (title: string, url: string, style: 'positive' | 'destructive' | 'default'): CardElement => ({
  type: 'Action.OpenUrl',
  title,
  url,
  style,
});

/** The Teams message for a notification, with buttons to `approvalBaseUrl` when given. */
export function teamsMessage(notification: Notification, approvalBaseUrl?: string): Record<string, unknown> {
  const links = approvalLinks(approvalBaseUrl, notification);
  const body: CardElement[] = [
    text(`Standby: ${notification.kind.replaceAll('-', ' ')} — ${notification.app}`, {
      weight: 'Bolder',
      size: 'Medium',
    }),
    text(notification.text),
    ...guidance(notification, links),
  ];
  if (notification.failoverId) body.push(text(`Failover ${notification.failoverId}`, { isSubtle: true }));
  const actions = [
    ...(links.approve ? [open('Review and approve', links.approve, 'positive')] : []),
    ...(links.reject ? [open('Review and reject', links.reject, 'destructive')] : []),
    ...(links.override ? [open('Review: fail over anyway', links.override, 'destructive')] : []),
  ];
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          ...(actions.length ? { actions } : {}),
        },
      },
    ],
  };
}

function guidance(notification: Notification, links: ApprovalLinks): CardElement[] {
  const until = notification.expiresAt ? ` They work once, until ${notification.expiresAt}.` : '';
  if (links.approve || links.override)
    return [
      text(
        `The buttons open a page that shows what will happen; nothing changes until you confirm there.${until}`,
        { isSubtle: true },
      ),
    ];
  if (notification.kind !== 'approval-request') return [];
  return [
    text('Act on this request with the standby CLI, against the same controller.'),
    ...(notification.approveToken
      ? [text('To approve:', { weight: 'Bolder' }), code(`standby approve ${notification.approveToken}`)]
      : []),
    ...(notification.rejectToken
      ? [text('To reject:', { weight: 'Bolder' }), code(`standby reject ${notification.rejectToken}`)]
      : []),
    ...(until ? [text(until.trim(), { isSubtle: true })] : []),
  ];
}
