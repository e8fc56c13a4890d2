import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { messageOf, SnsNotifier, subjectOf } from '#functions/adapters/sns-notifier.ts';
import type { Notification } from '#shared/ports/notifier.ts';

const TOPIC = 'arn:aws:sns:eu-central-1:444455556666:dr-approvals';
const approval: Notification = {
  app: 'payments',
  channel: 'sns',
  target: TOPIC,
  kind: 'approval-request',
  at: '2026-11-21T12:00:00Z',
  failoverId: 'f-1',
  approveToken: 'sb1.approve.sig',
  rejectToken: 'sb1.reject.sig',
  expiresAt: '2026-11-21T12:30:00Z',
  text: 'Fail over payments to eu-central-1? Triggered by payments-api-5xx.',
};
const sns = mockClient(SNSClient);

describe('SnsNotifier', () => {
  beforeEach(() => sns.reset());

  it('publishes the approval request with both CLI commands to the plan’s topic', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const notifier = new SnsNotifier({ client: new SNSClient({ region: 'eu-central-1' }) });
    expect(await notifier.send(approval)).toEqual({ delivered: true, detail: 'SNS message m-1' });
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: TOPIC,
      Subject: 'Standby: approve failover of payments',
      Message: expect.stringContaining('standby approve sb1.approve.sig --plan <plans>'),
    });
    const input = sns.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(input.Message).toContain('standby reject sb1.reject.sig');
    expect(input.Message).toContain('No approval endpoint is configured');
    expect(JSON.stringify(input.MessageAttributes)).not.toContain('sb1.');
  });

  it('with the endpoint configured, carries the approve and reject links instead, tokens URL-encoded', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-2' });
    const notifier = new SnsNotifier({
      client: new SNSClient({ region: 'eu-central-1' }),
      approvalBaseUrl: 'https://abc123.execute-api.eu-central-1.amazonaws.com/',
    });
    await notifier.send({ ...approval, approveToken: 'sb2.a+b.c' });
    const message = sns.commandCalls(PublishCommand)[0]!.args[0].input.Message!;
    expect(message).toContain(
      'To APPROVE the failover:\n  https://abc123.execute-api.eu-central-1.amazonaws.com/approve?t=sb2.a%2Bb.c',
    );
    expect(message).toContain(
      'To REJECT it:\n  https://abc123.execute-api.eu-central-1.amazonaws.com/reject?t=sb1.reject.sig',
    );
    expect(message).toContain('nothing changes until you confirm there');
    expect(message).not.toContain('standby approve');
  });

  it('gives a refusal its "fail over anyway" link', () => {
    const refusal: Notification = {
      ...approval,
      kind: 'failover-refused',
      overrideToken: 'sb2.o.s',
      text: 'REFUSED: stale',
    };
    const { approveToken: _a, rejectToken: _r, ...withoutApproval } = refusal;
    expect(messageOf(withoutApproval, 'https://x.example')).toContain('To FAIL OVER ANYWAY');
    expect(messageOf(withoutApproval, 'https://x.example')).toContain('https://x.example/override?t=sb2.o.s');
  });

  it('reports a failed publish as not delivered instead of throwing', async () => {
    sns
      .on(PublishCommand)
      .rejects(Object.assign(new Error('User is not authorized'), { name: 'AuthorizationErrorException' }));
    const notifier = new SnsNotifier({ client: new SNSClient({ region: 'eu-central-1' }) });
    expect(await notifier.send(approval)).toEqual({
      delivered: false,
      detail: expect.stringContaining('AuthorizationErrorException: User is not authorized'),
    });
  });

  it('does not deliver Teams notifications, and says so', async () => {
    const notifier = new SnsNotifier({ client: new SNSClient({ region: 'eu-central-1' }) });
    const result = await notifier.send({ ...approval, channel: 'teams', target: 'env:TEAMS_WEBHOOK_URL' });
    expect(result).toEqual({
      delivered: false,
      detail: expect.stringContaining('teams delivery is not configured'),
    });
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it('cuts the subject to the 100 characters SNS allows', () => {
    expect(subjectOf({ ...approval, app: 'a'.repeat(200) })).toBe(
      `Standby: approve failover of ${'a'.repeat(68)}...`,
    );
  });

  it('replaces characters outside printable ASCII in the subject', () => {
    expect(subjectOf({ ...approval, app: 'zahlungen-äöü' })).toBe(
      'Standby: approve failover of zahlungen-???',
    );
  });

  it('writes no approval instructions into other notifications', () => {
    expect(messageOf({ ...approval, kind: 'freshness-alert' })).not.toContain('standby approve');
  });
});
