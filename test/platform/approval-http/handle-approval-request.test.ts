import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type ApprovalHttpRequest,
  type ApprovalLogEntry,
  handleApprovalRequest,
} from '#platform/approval-http/handle-approval-request.ts';
import { escapeHtml } from '#platform/approval-http/html.ts';
import { readChain } from '#shared/application/evidence-log.ts';
import { Phase } from '#shared/domain/failover.ts';
import { awaitingApproval, refusedStale } from '../../support/approval-links.ts';

const FORM = 'application/x-www-form-urlencoded';
const get = (path: string, t?: string): ApprovalHttpRequest => ({
  method: 'GET',
  path,
  query: t === undefined ? {} : { t },
});
const post = (path: string, fields: Record<string, string>, identity?: string): ApprovalHttpRequest => ({
  method: 'POST',
  path,
  query: {},
  body: new URLSearchParams(fields).toString(),
  contentType: `${FORM}; charset=utf-8`,
  ...(identity ? { identity } : {}),
});

/** The token with its signature made by another key of the same id: well-formed, forged. */
function forge(token: string): string {
  const [, payload] = token.split('.');
  const signature = createHmac('sha256', Buffer.alloc(32, 9)).update(`sb2.${payload}`).digest('base64url');
  return `sb2.${payload}.${signature}`;
}

describe('handleApprovalRequest: approve and reject links', () => {
  it('GET shows what approving does — app, restores, data loss against RPO, trigger, expiry — and changes nothing', async () => {
    const w = await awaitingApproval({ 'case-db': 240 });
    const before = await w.snapshot();
    const log: ApprovalLogEntry[] = [];
    const res = await handleApprovalRequest(get('/approve', w.approveToken), {
      ...w,
      log: (e) => log.push(e),
    });
    expect(res.status).toBe(200);
    expect(res.body).toContain('Approve the failover of case-management');
    expect(res.body).toContain('eu-central-1');
    expect(res.body).toContain('restore');
    expect(res.body).toContain('case-db');
    expect(res.body).toContain('case-api');
    expect(res.body).toMatch(/4m[^<]*<\/td><td>5m<\/td><td class="ok">ok/); // age 4m against the 5m RPO
    expect(res.body).toContain(escapeHtml('arn:aws:cloudwatch:eu-west-1:111122223333:alarm:case-api-health'));
    expect(res.body).toContain('2026-11-21T12:30:00.000Z'); // the request's (and the token's) expiry
    expect(res.body).toContain('<form method="post" action="approve">');
    expect(await w.snapshot()).toEqual(before);
    expect(JSON.stringify(log)).not.toContain(w.approveToken);
    expect(log).toEqual([
      expect.objectContaining({ method: 'GET', action: 'approve', status: 200, app: 'case-management' }),
    ]);
  });

  it('answers with headers that forbid scripts, caching, referrers and framing', async () => {
    const w = await awaitingApproval();
    const { headers, body } = await handleApprovalRequest(get('/reject', w.rejectToken), w);
    const csp = headers['content-security-policy']!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toMatch(/script-src|unsafe-inline/);
    expect(headers['cache-control']).toContain('no-store');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(body).not.toContain('<script');
  });

  it('POST of a valid approve token continues the failover, recording who (as a claim) and the comment', async () => {
    const w = await awaitingApproval();
    const res = await handleApprovalRequest(
      post('/approve', { t: w.approveToken, name: 'Jane Doe', comment: 'RDS down in eu-west-1' }),
      w,
    );
    expect(res.status).toBe(200);
    const { failover } = await w.state();
    expect(failover?.phase).toBe(Phase.Restoring);
    expect(failover?.decision).toMatchObject({
      decision: 'approve',
      authenticated: false,
      by: 'the recipient of sns:arn:aws:sns:eu-central-1:111122223333:dr-approvals (unauthenticated; says "Jane Doe")',
      comment: 'RDS down in eu-west-1',
    });
  });

  it('puts the decision with its comment on the evidence chain, and never the token', async () => {
    const w = await awaitingApproval();
    await handleApprovalRequest(
      post('/approve', { t: w.approveToken, name: 'J', comment: 'go' }, 'jane@example.com'),
      w,
    );
    const chain = await readChain(w.controller.store, w.plan.name);
    const approval = chain.map((r) => r.value).find((r) => r.kind === 'approval');
    expect(approval?.data).toMatchObject({ decision: 'approve', by: 'jane@example.com', comment: 'go' });
    expect(JSON.stringify(chain)).not.toContain(w.approveToken);
  });

  it('records the identity the platform authenticated, not a name typed in the form', async () => {
    const w = await awaitingApproval();
    await handleApprovalRequest(post('/reject', { t: w.rejectToken, name: 'CISO' }, 'jane@example.com'), w);
    expect((await w.state()).failover).toMatchObject({
      phase: Phase.Aborted,
      decision: { decision: 'reject', by: 'jane@example.com', authenticated: true },
    });
  });

  it('two concurrent POSTs of one token continue the failover once; the other is told the token was used', async () => {
    const w = await awaitingApproval();
    const answers = await Promise.all(
      [1, 2].map(() => handleApprovalRequest(post('/approve', { t: w.approveToken, name: 'J' }), w)),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)?.body).toContain('already used');
    const history = (await w.state()).failover!.history.map((h) => h.phase);
    expect(history.filter((p) => p === Phase.Restoring)).toHaveLength(1);
  });

  it.each([
    ['forged', (t: string) => forge(t), 0, 403, 'signature is not valid'],
    ['not a token', (t: string) => `${t}x`, 0, 400, 'not a Standby approval token'],
    ['expired', (t: string) => t, 31 * 60, 410, 'expired at 2026-11-21T12:30:00.000Z'],
  ])(
    'refuses a %s token on GET and POST with a page that says why, changing nothing',
    async (_name, alter, wait, status, why) => {
      const w = await awaitingApproval();
      w.clock.advance(wait);
      const before = await w.snapshot();
      for (const req of [
        get('/approve', alter(w.approveToken)),
        post('/approve', { t: alter(w.approveToken), name: 'J' }),
      ]) {
        const res = await handleApprovalRequest(req, w);
        expect(res.status).toBe(status);
        expect(res.body).toContain(escapeHtml(why));
        expect(res.body).toContain('Nothing was changed');
      }
      expect(await w.snapshot()).toEqual(before);
    },
  );

  it('refuses a used token with 409 and an approve token sent to /reject with 400', async () => {
    const w = await awaitingApproval();
    await handleApprovalRequest(post('/approve', { t: w.approveToken, name: 'J' }), w);
    const again = await handleApprovalRequest(get('/approve', w.approveToken), w);
    expect(again.status).toBe(409);
    expect(again.body).toContain('already used');
    const other = await handleApprovalRequest(post('/reject', { t: w.approveToken, name: 'J' }), w);
    expect(other.status).toBe(400);
    expect(other.body).toContain('it is a approve token, and the request asks to reject');
  });

  it('refuses the reject token once the failover was approved (it is no longer waiting)', async () => {
    const w = await awaitingApproval();
    await handleApprovalRequest(post('/approve', { t: w.approveToken, name: 'J' }), w);
    const res = await handleApprovalRequest(post('/reject', { t: w.rejectToken, name: 'K' }), w);
    expect(res.status).toBe(409);
    expect(res.body).toContain('already approved');
  });

  it('escapes what the form says in the page it answers with', async () => {
    const w = await awaitingApproval();
    const res = await handleApprovalRequest(
      post('/approve', { t: w.approveToken, name: '<script>alert(1)</script>' }),
      w,
    );
    expect(res.status).toBe(200);
    expect(res.body).not.toContain('<script>');
    expect(res.body).toContain('&#60;script&#62;');
  });

  it.each([
    ['an unknown path', { ...get('/delete', 'x') }, 404],
    ['no token', get('/approve'), 400],
    ['PUT', { ...get('/approve', 'x'), method: 'PUT' }, 405],
    ['a JSON body', { ...post('/approve', { t: 'x', name: 'J' }), contentType: 'application/json' }, 415],
    ['a form over 16 KiB', post('/approve', { t: 'x', name: 'J', comment: 'a'.repeat(17_000) }), 413],
    ['no name and no identity', post('/approve', { t: 'x' }), 400],
  ] as const)('answers %s with a page and changes nothing', async (_name, req, status) => {
    const w = await awaitingApproval();
    const before = await w.snapshot();
    const res = await handleApprovalRequest(req, w);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toContain('text/html');
    expect(await w.snapshot()).toEqual(before);
  });
});

describe('handleApprovalRequest: the "fail over anyway" link of a refusal', () => {
  it('GET shows the refusal, what is overridden and the data loss accepted, and changes nothing', async () => {
    const w = await refusedStale();
    const before = await w.snapshot();
    const res = await handleApprovalRequest(get('/override', w.overrideToken), w);
    expect(res.status).toBe(200);
    expect(res.body).toContain('Fail over anyway: case-management');
    expect(res.body).toContain('case-db is 2h 0m old, RPO 5m');
    expect(res.body).toMatch(/fresh-backups<\/td><td class="ok">overridden/);
    expect(res.body).toContain('name="reason" required');
    expect(await w.snapshot()).toEqual(before);
  });

  it('POST with a reason starts the failover with the override recorded (who, why) — once, even twice concurrently', async () => {
    const w = await refusedStale();
    const answers = await Promise.all(
      [1, 2].map(() =>
        handleApprovalRequest(
          post('/override', { t: w.overrideToken, reason: 'primary is gone' }, 'oncall@example.com'),
          w,
        ),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)?.body).toContain('already used');
    const { failover } = await w.state();
    expect(failover?.id).not.toBe(w.refusedId);
    expect(failover?.override).toEqual({
      by: 'oncall@example.com',
      reason: 'primary is gone',
      accepted: ['fresh-backups'],
    });
    expect(failover?.phase).toBe(Phase.AwaitingApproval); // the plan's mode: approval still asks
    const again = await handleApprovalRequest(
      post('/override', { t: w.overrideToken, reason: 'again' }, 'x@example.com'),
      w,
    );
    expect(again.status).toBe(409);
  });

  it('refuses a POST without a reason, changing nothing', async () => {
    const w = await refusedStale();
    const before = await w.snapshot();
    const res = await handleApprovalRequest(post('/override', { t: w.overrideToken, name: 'J' }), w);
    expect(res.status).toBe(400);
    expect(res.body).toContain('needs a reason');
    expect(await w.snapshot()).toEqual(before);
  });

  it('refuses an override link used as an approval, and a forged or expired one', async () => {
    const w = await refusedStale();
    expect((await handleApprovalRequest(get('/approve', w.overrideToken), w)).status).toBe(400);
    expect((await handleApprovalRequest(get('/override', forge(w.overrideToken)), w)).status).toBe(403);
    w.clock.advance(31 * 60);
    const expired = await handleApprovalRequest(
      post('/override', { t: w.overrideToken, reason: 'r', name: 'J' }),
      w,
    );
    expect(expired.status).toBe(410);
  });
});
