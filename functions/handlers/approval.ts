/**
 * Lambda behind the approval HTTP API: the links in approval requests and refusal notices. It only
 * translates — API Gateway's HTTP event (payload format 2.0, also a Function URL's) into the
 * framework-neutral approval request, and the page back — while `#platform/approval-http` decides:
 * GET shows, only POST acts. A store or provider failure becomes a 503 page (logged once with its
 * code, never with the token) instead of API Gateway's bare error.
 */
import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Logger } from 'pino';
import {
  type ApprovalHttpRequest,
  handleApprovalRequest,
} from '#platform/approval-http/handle-approval-request.ts';
import { SECURITY_HEADERS } from '#platform/approval-http/html.ts';
import { refusedPage } from '#platform/approval-http/pages.ts';
import type { Controller } from '#shared/application/controller.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { awsRuntime } from '../composition.ts';
import { invocation, logErrors, withRuntime } from './middleware.ts';

/** What the approval function needs from the composition root. */
export interface ApprovalRuntime {
  /** The plans this controller owns: a link for any other application is refused. */
  readonly ownPlans: readonly RecoveryPlan[];
  readonly controller: Controller;
  readonly logger: Logger;
}

/** The approval handler over a runtime loader (the real composition root, or fakes in tests). */
export function createApprovalHandler(load: () => Promise<ApprovalRuntime>) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(withRuntime(load))
    .use(unavailablePage())
    .use(logErrors())
    .handler(async (event, context) => {
      const { runtime, log } = invocation<ApprovalRuntime>(context);
      const answer = await handleApprovalRequest(approvalRequestOf(event), {
        controller: runtime.controller,
        plans: runtime.ownPlans,
        log: (entry) =>
          log.info({ approval: entry }, `approval ${entry.action} ${entry.status}: ${entry.outcome}`),
      });
      return { statusCode: answer.status, headers: { ...answer.headers }, body: answer.body };
    });
}

/** The framework-neutral request of an HTTP API (payload 2.0) or Function URL event. */
export function approvalRequestOf(event: APIGatewayProxyEventV2): ApprovalHttpRequest {
  // rawQueryString keeps repeated parameters apart (queryStringParameters joins them with commas).
  const params = new URLSearchParams(event.rawQueryString ?? '');
  const query = Object.fromEntries([...params.keys()].map((k) => [k, params.get(k) ?? undefined]));
  const headers = Object.fromEntries(
    Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  const body =
    event.body && event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  const identity = identityOf(event);
  return {
    method: event.requestContext.http.method,
    path: event.rawPath,
    query,
    ...(body !== undefined ? { body } : {}),
    ...(headers['content-type'] ? { contentType: headers['content-type'] } : {}),
    ...(identity ? { identity } : {}),
  };
}

/**
 * The identity API Gateway authenticated: a JWT authorizer's (SSO) e-mail, user name or subject, or
 * an IAM principal. Headers are never trusted for this: anyone can send them.
 */
function identityOf(event: APIGatewayProxyEventV2): string | undefined {
  const authorizer = (event.requestContext as { authorizer?: AuthorizerContext }).authorizer;
  const claims = authorizer?.jwt?.claims;
  const fromJwt = claims?.['email'] ?? claims?.['preferred_username'] ?? claims?.['upn'] ?? claims?.['sub'];
  if (fromJwt !== undefined && String(fromJwt) !== '') return `sso:${String(fromJwt)}`;
  const arn = authorizer?.iam?.userArn;
  return arn ? `iam:${arn}` : undefined;
}

interface AuthorizerContext {
  readonly jwt?: { readonly claims?: Readonly<Record<string, string | number | boolean>> };
  readonly iam?: { readonly userArn?: string };
}

/** A failure (the store throttled, the secret unreadable) answers a page; `logErrors` logged it. */
function unavailablePage(): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    name: 'standby-approval-unavailable',
    onError: async (request) => {
      request.response = {
        statusCode: 503,
        headers: { ...SECURITY_HEADERS, 'retry-after': '30' },
        body: refusedPage(
          'Try again in a moment',
          `The controller could not be reached just now (request ${request.context.awsRequestId}). The link still works until it expires.`,
        ),
      };
    },
  };
}

/** The Lambda entry point (`approval.handler`). */
export const handler = createApprovalHandler(awsRuntime);
