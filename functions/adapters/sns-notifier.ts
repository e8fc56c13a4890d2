/**
 * `Notifier` over Amazon SNS: approval requests, freshness alerts and failover outcomes are published
 * to the topic the plan (or the stack) names, for e-mail and chat subscriptions to fan out.
 *
 * With the approval endpoint's base URL, an approval request carries two links (approve, reject) and
 * a refusal a "fail over anyway" link, each to a page that shows what will happen before anyone acts;
 * without one, the CLI commands that act on the tokens (`standby approve <token>` / `standby reject
 * <token>`). Tokens travel only in the message body: they are never logged and never put in message
 * attributes (which SNS subscription filter logs may record).
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { approvalLinks } from '#platform/approval-http/links.ts';
import type { Notification, Notifier } from '#shared/ports/notifier.ts';

/** What {@link SnsNotifier} is built from. */
export interface SnsNotifierOptions {
  readonly client: SNSClient;
  /** The approval endpoint's base URL (`https://…`); without it, messages name the CLI commands. */
  readonly approvalBaseUrl?: string;
}

/** SNS subjects are at most 100 printable ASCII characters, without line breaks. */
const SUBJECT_MAX = 100;

const SUBJECTS: Record<Notification['kind'], string> = {
  'approval-request': 'Standby: approve failover of',
  'freshness-alert': 'Standby: backup freshness alert for',
  'failover-ended': 'Standby: failover ended for',
  'failover-refused': 'Standby: failover REFUSED for',
};

/** The SNS `Subject` of a notification: ASCII only, cut to 100 characters. */
export function subjectOf(notification: Notification): string {
  const subject = `${SUBJECTS[notification.kind]} ${notification.app}`.replace(/[^\x20-\x7e]/g, '?');
  return subject.length > SUBJECT_MAX ? `${subject.slice(0, SUBJECT_MAX - 3)}...` : subject;
}

/** The message body: the notification's text, and for approvals and refusals the links (or commands). */
export function messageOf(notification: Notification, approvalBaseUrl?: string): string {
  const lines = [notification.text];
  const links = approvalLinks(approvalBaseUrl, notification);
  const until = notification.expiresAt ? `The links work once, until ${notification.expiresAt}.` : '';
  if (links.approve || links.reject) {
    lines.push(
      '',
      'Each link opens a page that shows what will happen; nothing changes until you confirm there.',
    );
    if (links.approve) lines.push('', 'To APPROVE the failover:', `  ${links.approve}`);
    if (links.reject) lines.push('', 'To REJECT it:', `  ${links.reject}`);
    if (until) lines.push('', until);
  } else if (links.override) {
    lines.push(
      '',
      'To FAIL OVER ANYWAY (you will see what is overridden and the data loss, and give a reason):',
      `  ${links.override}`,
    );
    if (until) lines.push('', until);
  } else if (notification.kind === 'approval-request') {
    lines.push(
      '',
      'No approval endpoint is configured: act on this request with the standby CLI, against the same controller.',
    );
    if (notification.approveToken)
      lines.push(
        '',
        'To APPROVE the failover, run:',
        `  standby approve ${notification.approveToken} --plan <plans>`,
      );
    if (notification.rejectToken)
      lines.push('', 'To REJECT it, run:', `  standby reject ${notification.rejectToken} --plan <plans>`);
    if (notification.expiresAt)
      lines.push('', `The tokens expire at ${notification.expiresAt} and work once.`);
  }
  if (notification.failoverId) lines.push('', `Failover id: ${notification.failoverId}`);
  return lines.join('\n');
}

/** Publishes notifications whose channel is `sns`; other channels are reported as not delivered. */
export class SnsNotifier implements Notifier {
  readonly #client: SNSClient;
  readonly #approvalBaseUrl: string | undefined;

  constructor(options: SnsNotifierOptions) {
    this.#client = options.client;
    this.#approvalBaseUrl = options.approvalBaseUrl;
  }

  async send(notification: Notification): Promise<{ readonly delivered: boolean; readonly detail?: string }> {
    if (notification.channel !== 'sns')
      return {
        delivered: false,
        detail: `the AWS controller delivers only to SNS; ${notification.channel} delivery is not configured here`,
      };
    try {
      const out = await this.#client.send(
        new PublishCommand({
          TopicArn: notification.target,
          Subject: subjectOf(notification),
          Message: messageOf(notification, this.#approvalBaseUrl),
          MessageAttributes: {
            app: { DataType: 'String', StringValue: notification.app },
            kind: { DataType: 'String', StringValue: notification.kind },
          },
        }),
      );
      return { delivered: true, detail: `SNS message ${out.MessageId ?? '(no id)'}` };
    } catch (error) {
      // The port reports delivery failures; the controller records them next to the notification.
      const name = error instanceof Error ? error.name : 'Error';
      const message = error instanceof Error ? error.message : String(error);
      return {
        delivered: false,
        detail: `sns:Publish to ${notification.target} failed: ${name}: ${message}`,
      };
    }
  }
}
