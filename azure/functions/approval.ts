/**
 * Azure Function (HTTP, `GET | HEAD | POST /api/approval/{approve|reject|override}`): the approval
 * links of the Teams cards. The request goes to the framework-neutral approval core
 * (`platform/approval-http`): GET shows what the link would do and changes nothing, only the POST of
 * its form acts. The page comes back as the core wrote it (HTML, security headers).
 *
 * `authLevel: 'anonymous'`: the link's signed, single-use, expiring token is what authorises, and a
 * function key in a link would be one more secret in a chat. Better: App Service authentication
 * (Entra ID) on the app — the platform then signs the approver in and passes who they are in
 * `x-ms-client-principal-name`, recorded as the authenticated approver. That header is believed only
 * when App Service authentication is on (`WEBSITE_AUTH_ENABLED`), which strips it from client
 * requests; otherwise anyone could send it, and the form asks for a name, recorded as a claim.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { handleApprovalRequest } from '#platform/approval-http/handle-approval-request.ts';
import { SECURITY_HEADERS } from '#platform/approval-http/html.ts';
import { refusedPage } from '#platform/approval-http/pages.ts';
import type { Controller } from '#shared/application/controller.ts';
import { StandbyError } from '#shared/domain/errors.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { azureRuntime } from '../composition.ts';

/** What the approval function needs from the composition root. */
export interface ApprovalRuntime {
  readonly ownPlans: readonly RecoveryPlan[];
  readonly controller: Controller;
  /** True when App Service authentication is on, so its principal header is the platform's. */
  readonly trustPlatformIdentity: boolean;
}

/** The header App Service authentication sets to the signed-in user's name. */
const PRINCIPAL_HEADER = 'x-ms-client-principal-name';

/** The approval handler over a runtime loader (the real composition root, or fakes in tests). */
export function createApprovalHandler(load: () => Promise<ApprovalRuntime>) {
  return async function approval(
    request: HttpRequest,
    context: InvocationContext,
  ): Promise<HttpResponseInit> {
    try {
      const { ownPlans, controller, trustPlatformIdentity } = await load();
      const identity = trustPlatformIdentity ? request.headers.get(PRINCIPAL_HEADER) : null;
      const contentType = request.headers.get('content-type');
      const response = await handleApprovalRequest(
        {
          method: request.method,
          path: new URL(request.url).pathname,
          query: Object.fromEntries(request.query),
          ...(request.method.toUpperCase() === 'POST' ? { body: await request.text() } : {}),
          ...(contentType ? { contentType } : {}),
          ...(identity ? { identity } : {}),
        },
        // Entries never hold the token, the query or the body.
        { controller, plans: ownPlans, log: (entry) => context.log(`approval ${JSON.stringify(entry)}`) },
      );
      return { status: response.status, headers: { ...response.headers }, body: response.body };
    } catch (error) {
      const code = error instanceof StandbyError ? error.code : 'UNEXPECTED';
      context.error(`approval failed (${code}): ${error instanceof Error ? error.message : String(error)}`);
      return {
        status: 503,
        headers: { ...SECURITY_HEADERS, 'retry-after': '30' },
        body: refusedPage(
          'Try again in a minute',
          `Standby could not reach its state just now (${code}, invocation ${context.invocationId}); nothing was decided. Open the link again.`,
        ),
      };
    }
  };
}

/** The named handler with the real composition root. */
export const approval = createApprovalHandler(azureRuntime);

app.http('approval', {
  methods: ['GET', 'HEAD', 'POST'],
  authLevel: 'anonymous',
  route: 'approval/{action}',
  handler: approval,
});
