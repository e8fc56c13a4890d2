import { describe, expect, it } from 'vitest';
import { teamsMessage } from '#platform/teams/teams-message.ts';
import { WebhookTeamsNotifier } from '#platform/teams/teams-notifier.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import type { Notification } from '#shared/ports/notifier.ts';

const WEBHOOK =
  'https://prod-00.westeurope.logic.azure.invalid/workflows/standby-test/triggers/manual/paths/invoke';
const BASE = 'https://abc123.execute-api.eu-central-1.amazonaws.com';
const approval: Notification = {
  app: 'payments',
  channel: 'teams',
  target: 'secretsmanager:standby/teams/payments',
  kind: 'approval-request',
  at: '2026-11-21T12:00:00Z',
  failoverId: 'f-1',
  approveToken: 'sb2.approve.sig',
  rejectToken: 'sb2.reject.sig',
  expiresAt: '2026-11-21T12:30:00Z',
  text: 'Fail over payments to eu-central-1?',
};

function notifier(resolve: (ref: string) => Promise<string | undefined>, status = 202) {
  const posts: { url: string; body: Record<string, unknown> }[] = [];
  const n = new WebhookTeamsNotifier({
    resolveWebhook: resolve,
    approvalBaseUrl: BASE,
    fetch: async (url, init) => {
      posts.push({ url: String(url), body: JSON.parse(String(init?.body)) });
      return new Response(null, { status });
    },
  });
  return { n, posts };
}

const cardOf = (message: Record<string, unknown>) =>
  (message['attachments'] as { contentType: string; content: Record<string, unknown> }[])[0]!;

describe('teamsMessage', () => {
  it('is the Workflows webhook envelope with an Adaptive Card 1.4 and Action.OpenUrl buttons to the confirmation pages', () => {
    const message = teamsMessage(approval, BASE);
    expect(message['type']).toBe('message');
    const attachment = cardOf(message);
    expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(attachment.content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(attachment.content['actions']).toEqual([
      {
        type: 'Action.OpenUrl',
        title: 'Review and approve',
        url: `${BASE}/approve?t=sb2.approve.sig`,
        style: 'positive',
      },
      {
        type: 'Action.OpenUrl',
        title: 'Review and reject',
        url: `${BASE}/reject?t=sb2.reject.sig`,
        style: 'destructive',
      },
    ]);
    expect(JSON.stringify(attachment.content['body'])).not.toContain('standby approve');
  });

  it('gives a refusal a "fail over anyway" button', () => {
    const { approveToken: _a, rejectToken: _r, ...rest } = approval;
    const refusal: Notification = {
      ...rest,
      kind: 'failover-refused',
      overrideToken: 'sb2.o.s',
      text: 'REFUSED',
    };
    expect(cardOf(teamsMessage(refusal, BASE)).content['actions']).toEqual([
      expect.objectContaining({ url: `${BASE}/override?t=sb2.o.s`, style: 'destructive' }),
    ]);
  });

  it('without an endpoint, names the CLI commands and has no buttons', () => {
    const card = cardOf(teamsMessage(approval)).content;
    expect(card['actions']).toBeUndefined();
    expect(JSON.stringify(card['body'])).toContain('standby approve sb2.approve.sig');
  });
});

describe('WebhookTeamsNotifier', () => {
  it('resolves the reference when it sends and posts the card to the webhook (Workflows answers 202)', async () => {
    const asked: string[] = [];
    const { n, posts } = notifier(async (ref) => {
      asked.push(ref);
      return WEBHOOK;
    });
    const result = await n.send(approval);
    expect(result).toEqual({
      delivered: true,
      detail: 'Teams webhook secretsmanager:standby/teams/payments answered 202',
    });
    expect(asked).toEqual(['secretsmanager:standby/teams/payments']);
    expect(posts[0]!.url).toBe(WEBHOOK);
    expect(JSON.stringify(result)).not.toContain(WEBHOOK);
  });

  it.each([
    ['a webhook that is not set', async () => undefined, 'is not set'],
    ['a plain-http webhook', async () => 'http://example.invalid/hook', 'not an https URL'],
    [
      'a reference form this controller cannot read',
      async () => {
        throw new InvalidInputError('write secretsmanager:NAME');
      },
      'could not be read: write secretsmanager:NAME',
    ],
    [
      'a failed secret read (named, never its message)',
      async () => {
        throw Object.assign(new Error(`denied reading ${WEBHOOK}`), { name: 'AccessDeniedException' });
      },
      'could not be read: AccessDeniedException',
    ],
  ])('reports %s as not delivered, without the URL', async (_case, resolve, detail) => {
    const { n, posts } = notifier(resolve);
    const result = await n.send(approval);
    expect(result).toEqual({ delivered: false, detail: expect.stringContaining(detail) });
    expect(JSON.stringify(result)).not.toContain(WEBHOOK);
    expect(posts).toEqual([]);
  });

  it('reports a webhook that answers an error status as not delivered', async () => {
    const { n } = notifier(async () => WEBHOOK, 400);
    expect(await n.send(approval)).toMatchObject({ delivered: false });
  });
});
