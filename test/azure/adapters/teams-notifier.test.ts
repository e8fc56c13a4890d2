import { describe, expect, it } from 'vitest';
import { TeamsNotifier, teamsMessage } from '#azure/adapters/teams-notifier.ts';
import type { Notification } from '#shared/ports/notifier.ts';

const URL_ = 'https://contoso.webhook.office.com/webhookb2/abc';
const approval: Notification = {
  app: 'payments',
  channel: 'teams',
  target: 'env:TEAMS_WEBHOOK_URL',
  kind: 'approval-request',
  at: '2026-11-21T12:00:00Z',
  failoverId: 'f-1',
  approveToken: 'sb1.approve.sig',
  rejectToken: 'sb1.reject.sig',
  expiresAt: '2026-11-21T12:30:00Z',
  text: 'Fail over payments to eu-central-1?',
};

function notifier(
  answer: () => Promise<Response>,
  env: Record<string, string> = { TEAMS_WEBHOOK_URL: URL_ },
) {
  const posts: { url: string; init: RequestInit | undefined }[] = [];
  const n = new TeamsNotifier({
    resolveReference: (name) => env[name],
    fetch: async (url, init) => {
      posts.push({ url: String(url), init });
      return answer();
    },
  });
  return { n, posts };
}

describe('TeamsNotifier', () => {
  it('posts an Adaptive Card with the CLI commands and says there is no approval page yet', async () => {
    const { n, posts } = notifier(async () => new Response('1', { status: 200 }));
    expect(await n.send(approval)).toMatchObject({ delivered: true });
    expect(posts[0]!.url).toBe(URL_);
    const body = JSON.parse(String(posts[0]!.init?.body));
    expect(body.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    const texts = body.attachments[0].content.body.map((b: { text: string }) => b.text).join('\n');
    expect(texts).toContain('standby approve sb1.approve.sig');
    expect(texts).toContain('standby reject sb1.reject.sig');
    expect(texts).toContain('no approval web page yet');
  });

  it.each([
    [
      'a literal URL instead of a reference',
      { ...approval, target: URL_ },
      {},
      'is not an env:NAME reference',
    ],
    ['a reference that is not set', approval, {}, 'env:TEAMS_WEBHOOK_URL is not set'],
    ['a reference to a plain-http URL', approval, { TEAMS_WEBHOOK_URL: 'http://x' }, 'not an https URL'],
    [
      'an SNS target',
      { ...approval, channel: 'sns' as const },
      { TEAMS_WEBHOOK_URL: URL_ },
      'delivers only to Teams',
    ],
  ])('does not deliver %s, and says why', async (_name, notification, env, detail) => {
    const { n, posts } = notifier(async () => new Response(null, { status: 200 }), env);
    const result = await n.send(notification);
    expect(result).toEqual({ delivered: false, detail: expect.stringContaining(detail) });
    expect(result.detail).not.toContain(URL_);
    expect(posts).toEqual([]);
  });

  it.each([
    ['an error status', async () => new Response('throttled', { status: 429 }), 'answered 429'],
    [
      'a network failure',
      async (): Promise<Response> => Promise.reject(new TypeError('fetch failed')),
      'failed: TypeError',
    ],
  ])('reports %s as not delivered without revealing the webhook URL', async (_name, answer, detail) => {
    const { n } = notifier(answer);
    const result = await n.send(approval);
    expect(result).toEqual({ delivered: false, detail: expect.stringContaining(detail) });
    expect(result.detail).not.toContain(URL_);
  });

  it('renders other notifications without approval instructions', () => {
    const card = JSON.stringify(
      teamsMessage({ ...approval, kind: 'freshness-alert', approveToken: undefined, rejectToken: undefined }),
    );
    expect(card).not.toContain('standby approve');
  });
});
