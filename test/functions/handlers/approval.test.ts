import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { approvalRequestOf, createApprovalHandler } from '#functions/handlers/approval.ts';
import type { Controller } from '#shared/application/controller.ts';
import { Phase } from '#shared/domain/failover.ts';
import { awaitingApproval, refusedStale } from '../../support/approval-links.ts';
import { capturingLogger, lambdaContext } from './support.ts';

const recorded = JSON.parse(
  readFileSync(
    resolve(import.meta.dirname, '../../fixtures/aws/apigateway-http-api-v2-request.json'),
    'utf8',
  ),
) as APIGatewayProxyEventV2 & { _about?: string };

/** The recorded HTTP API event, as a browser's GET of a link or POST of the page's form. */
function httpEvent(
  method: 'GET' | 'POST',
  path: string,
  options: {
    query?: Record<string, string>;
    form?: Record<string, string>;
    base64?: boolean;
    claims?: Record<string, string>;
  } = {},
): APIGatewayProxyEventV2 {
  const { _about, ...event } = structuredClone(recorded);
  const body = options.form ? new URLSearchParams(options.form).toString() : undefined;
  const rawQueryString = new URLSearchParams(options.query ?? {}).toString();
  return {
    ...event,
    rawPath: path,
    rawQueryString,
    queryStringParameters: options.query ?? {},
    headers: {
      ...event.headers,
      ...(body ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
    },
    requestContext: {
      ...event.requestContext,
      http: { ...event.requestContext.http, method, path },
      ...(options.claims ? { authorizer: { jwt: { claims: options.claims, scopes: [] } } } : {}),
    } as APIGatewayProxyEventV2['requestContext'],
    ...(body === undefined
      ? { body: undefined as unknown as string }
      : { body: options.base64 ? Buffer.from(body).toString('base64') : body }),
    isBase64Encoded: options.base64 ?? false,
  };
}

function handlerOver(world: {
  controller: Controller;
  plans: readonly import('#shared/domain/plan.ts').RecoveryPlan[];
}) {
  const log = capturingLogger();
  const handler = createApprovalHandler(async () => ({
    ownPlans: world.plans,
    controller: world.controller,
    logger: log.logger,
  }));
  const call = (event: APIGatewayProxyEventV2) => handler(event, lambdaContext('standby-approval'));
  return { call, log };
}

describe('approval handler (HTTP API → middy → approval core)', () => {
  it('GET of the approve link shows the confirmation page and changes nothing', async () => {
    const w = await awaitingApproval();
    const { call, log } = handlerOver(w);
    const before = await w.snapshot();
    const res = await call(httpEvent('GET', '/approve', { query: { t: w.approveToken } }));
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.body).toContain('Approve the failover of case-management');
    expect(await w.snapshot()).toEqual(before);
    expect(log.text()).not.toContain(w.approveToken);
    expect(log.lines()[0]).toMatchObject({ approval: { action: 'approve', status: 200 } });
  });

  it('POST of a valid token (a base64 form, as API Gateway may deliver it) continues the failover exactly once', async () => {
    const w = await awaitingApproval();
    const { call, log } = handlerOver(w);
    const form = { t: w.approveToken, name: 'Jane Doe', comment: 'primary RDS lost' };
    const res = await call(httpEvent('POST', '/approve', { form, base64: true }));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Approved: case-management');
    const { failover } = await w.state();
    expect(failover?.phase).toBe(Phase.Restoring);
    expect(failover?.decision).toMatchObject({ comment: 'primary RDS lost', authenticated: false });
    const again = await call(httpEvent('POST', '/approve', { form }));
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('already used');
    expect((await w.state()).failover?.history.filter((h) => h.phase === Phase.Restoring)).toHaveLength(1);
    expect(log.text()).not.toContain(w.approveToken);
  });

  it('two concurrent POSTs of one token: one 200, one 409, one transition', async () => {
    const w = await awaitingApproval();
    const { call } = handlerOver(w);
    const form = { t: w.approveToken, name: 'J' };
    const answers = await Promise.all([
      call(httpEvent('POST', '/approve', { form })),
      call(httpEvent('POST', '/approve', { form })),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
    expect((await w.state()).failover?.history.filter((h) => h.phase === Phase.Restoring)).toHaveLength(1);
  });

  it.each([
    ['forged', (t: string) => `${t.slice(0, -6)}AAAAAA`, 0, 403, 'signature is not valid'],
    ['expired', (t: string) => t, 3600, 410, 'expired at'],
  ])(
    'refuses a %s token with a page that says why, changing nothing',
    async (_n, alter, wait, status, why) => {
      const w = await awaitingApproval();
      const { call } = handlerOver(w);
      w.clock.advance(wait);
      const before = await w.snapshot();
      const res = await call(
        httpEvent('POST', '/approve', { form: { t: alter(w.approveToken), name: 'J' } }),
      );
      expect(res.statusCode).toBe(status);
      expect(res.body).toContain(why);
      expect(await w.snapshot()).toEqual(before);
    },
  );

  it('refuses a used token (approved through another channel) on GET', async () => {
    const w = await awaitingApproval();
    const { call } = handlerOver(w);
    await call(httpEvent('POST', '/approve', { form: { t: w.approveToken, name: 'J' } }));
    const res = await call(httpEvent('GET', '/approve', { query: { t: w.approveToken } }));
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('already used');
  });

  it('records the SSO identity of a JWT authorizer as the authenticated approver', async () => {
    const w = await awaitingApproval();
    const { call } = handlerOver(w);
    await call(
      httpEvent('POST', '/reject', {
        form: { t: w.rejectToken },
        claims: { email: 'jane@example.com', sub: 'x' },
      }),
    );
    expect((await w.state()).failover?.decision).toMatchObject({
      by: 'sso:jane@example.com',
      authenticated: true,
    });
  });

  it('the override link: GET changes nothing; POST with a reason starts the failover once, with the override recorded', async () => {
    const w = await refusedStale();
    const { call } = handlerOver(w);
    const before = await w.snapshot();
    expect((await call(httpEvent('GET', '/override', { query: { t: w.overrideToken } }))).statusCode).toBe(
      200,
    );
    expect(await w.snapshot()).toEqual(before);
    const form = {
      t: w.overrideToken,
      name: 'On-call',
      reason: 'primary region down, 2h of case-db loss accepted',
    };
    const answers = await Promise.all([
      call(httpEvent('POST', '/override', { form })),
      call(httpEvent('POST', '/override', { form })),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
    const { failover } = await w.state();
    expect(failover?.override).toMatchObject({
      reason: 'primary region down, 2h of case-db loss accepted',
      accepted: ['fresh-backups'],
    });
    expect(failover?.override?.by).toContain('says "On-call"');
  });

  it.each([
    ['forged', (t: string) => `${t.slice(0, -6)}AAAAAA`, 0, false, 403, 'signature is not valid'],
    ['expired', (t: string) => t, 3600, false, 410, 'expired at'],
    ['used', (t: string) => t, 0, true, 409, 'already used'],
  ])(
    'refuses a %s override link with a page that says why, changing nothing',
    async (_n, alter, wait, useFirst, status, why) => {
      const w = await refusedStale();
      const { call } = handlerOver(w);
      const form = { t: alter(w.overrideToken), name: 'On-call', reason: 'primary down' };
      if (useFirst) expect((await call(httpEvent('POST', '/override', { form }))).statusCode).toBe(200);
      w.clock.advance(wait);
      const before = await w.snapshot();
      for (const event of [
        httpEvent('GET', '/override', { query: { t: form.t } }),
        httpEvent('POST', '/override', { form }),
      ]) {
        const res = await call(event);
        expect(res.statusCode).toBe(status);
        expect(res.body).toContain(why);
      }
      expect(await w.snapshot()).toEqual(before);
    },
  );

  it('answers a failing store with a 503 page, logged once without the token', async () => {
    const w = await awaitingApproval();
    const failing: Controller = {
      ...w.controller,
      store: {
        ...w.controller.store,
        get: async () => {
          throw new Error('ProvisionedThroughputExceededException');
        },
      } as Controller['store'],
    };
    const { call, log } = handlerOver({ controller: failing, plans: w.plans });
    const res = await call(httpEvent('GET', '/approve', { query: { t: w.approveToken } }));
    expect(res.statusCode).toBe(503);
    expect(res.headers?.['cache-control']).toContain('no-store');
    expect(log.lines().filter((l) => l['level'] === 50)).toHaveLength(1);
    expect(log.text()).not.toContain(w.approveToken);
  });

  it('reads the token from rawQueryString, taking the first of repeated parameters (never a comma-joined pair)', () => {
    const event = {
      ...httpEvent('GET', '/approve'),
      rawQueryString: 't=sb2.a.b&t=sb2.c.d',
      queryStringParameters: { t: 'sb2.a.b,sb2.c.d' },
    };
    expect(approvalRequestOf(event)).toMatchObject({
      method: 'GET',
      path: '/approve',
      query: { t: 'sb2.a.b' },
    });
  });
});
