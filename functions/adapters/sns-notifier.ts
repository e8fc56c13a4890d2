/**
 * `Notifier` over Amazon SNS: approval requests, freshness alerts and failover outcomes are published
 * to the topic the plan (or the stack) names, for e-mail and chat subscriptions to fan out.
 *
 * The approval web pages are not built yet, so an approval request carries the two tokens and the
 * CLI commands that act on them (`standby approve <token>` / `standby reject <token>`), said plainly.
 * Tokens travel only in the message body: they are never logged and never put in message attributes
 * (which SNS subscription filter logs may record).
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Notification, Notifier } from '#shared/ports/notifier.ts';

/** What {@link SnsNotifier} is built from. */
export interface SnsNotifierOptions {
  readonly client: SNSClient;
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

/** The message body: the notification's text, and for approvals the tokens and how to use them. */
export function messageOf(notification: Notification): string {
  const lines = [notification.text];
  if (notification.kind === 'approval-request') {
    lines.push(
      '',
      'There is no approval web page yet: act on this request with the standby CLI, against the same plan set.',
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

  constructor(options: SnsNotifierOptions) {
    this.#client = options.client;
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
          Message: messageOf(notification),
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
