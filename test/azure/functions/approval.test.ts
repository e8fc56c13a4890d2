import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { type ApprovalRuntime, createApprovalHandler } from '#azure/functions/approval.ts';
import { ProviderError } from '#shared/domain/errors.ts';
import { Phase } from '#shared/domain/failover.ts';
import { awaitingApproval } from '../../support/approval-links.ts';
import { invocationContext } from './support.ts';

const BASE = 'https://standby-ne.azurewebsites.net/api/approval';

async function setup(trustPlatformIdentity = false) {
  const w = await awaitingApproval();
  const runtime: ApprovalRuntime = { ownPlans: w.plans, controller: w.controller, trustPlatformIdentity };
  const { context, lines } = invocationContext('approval');
  const call = (request: HttpRequest) => createApprovalHandler(async () => runtime)(request, context);
  const get = (action: string, token: string) =>
    call(new HttpRequest({ method: 'GET', url: `${BASE}/${action}?t=${encodeURIComponent(token)}` }));
  const post = (action: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    call(
      new HttpRequest({
        method: 'POST',
        url: `${BASE}/${action}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: { string: new URLSearchParams(fields).toString() },
      }),
    );
  return { w, lines, get, post, runtime };
}

describe('approval function', () => {
  it('GET shows the confirmation page with the security headers and changes nothing', async () => {
    const s = await setup();
    const before = await s.w.snapshot();
    const response = await s.get('approve', s.w.approveToken);
    expect(response.status).toBe(200);
    expect(String(response.body)).toContain('<form method="post" action="approve">');
    expect(response.headers).toMatchObject({
      'cache-control': 'no-store, max-age=0',
      'x-frame-options': 'DENY',
    });
    expect(await s.w.snapshot()).toEqual(before);
    expect(s.lines.map((l) => l.text).join('\n')).not.toContain(s.w.approveToken);
  });

  it('POST of the form approves: the failover goes on, the approver recorded as a claim', async () => {
    const s = await setup();
    const response = await s.post('approve', { t: s.w.approveToken, name: 'Jane Doe' });
    expect(response.status).toBe(200);
    expect((await s.w.state()).failover).toMatchObject({
      phase: Phase.Restoring,
      decision: { decision: 'approve', authenticated: false },
    });
    expect(s.lines.map((l) => l.text).join('\n')).not.toContain(s.w.approveToken);
  });

  it('records the user App Service authentication signed in, when it is on', async () => {
    const s = await setup(true);
    await s.post('reject', { t: s.w.rejectToken }, { 'x-ms-client-principal-name': 'jane@contoso.com' });
    expect((await s.w.state()).failover).toMatchObject({
      phase: Phase.Aborted,
      decision: { decision: 'reject', by: 'jane@contoso.com', authenticated: true },
    });
  });

  it('ignores the principal header when App Service authentication is off: anyone could send it', async () => {
    const s = await setup(false);
    const before = await s.w.snapshot();
    const response = await s.post(
      'reject',
      { t: s.w.rejectToken },
      { 'x-ms-client-principal-name': 'ceo@contoso.com' },
    );
    expect(response.status).toBe(400);
    expect(String(response.body)).toContain('Your name is needed');
    expect(await s.w.snapshot()).toEqual(before);
  });

  it('answers 503 with Retry-After and a page when the state store fails, deciding nothing', async () => {
    const s = await setup();
    s.runtime.controller.store.get = async () => {
      throw new ProviderError('cosmos:read', '503 Service Unavailable');
    };
    const response = await s.post('approve', { t: s.w.approveToken, name: 'J' });
    expect(response).toMatchObject({ status: 503, headers: { 'retry-after': '30' } });
    expect(String(response.body)).toContain('nothing was decided');
    expect(s.lines).toContainEqual(
      expect.objectContaining({ level: 'error', text: expect.stringContaining('PROVIDER') }),
    );
  });
});
