/**
 * The approval endpoint, framework-neutral: AWS Lambda, Azure Functions and a local server translate
 * their request into an {@link ApprovalHttpRequest} and send back the {@link ApprovalHttpResponse}.
 *
 * `GET /approve?t=…`, `/reject?t=…`, `/override?t=…` show what the link would do and change nothing
 * (mail scanners and link previews follow links); only a `POST` of the page's form acts, through the
 * use cases `decideApproval` and `overrideByLink`. A link that cannot act gets a page saying why, with
 * a 4xx status. The token is never logged: log entries carry the action, app, failover and outcome.
 */
import type { Controller } from '#shared/application/controller.ts';
import { type Approver, decideApproval, MAX_COMMENT_CHARS } from '#shared/application/decide-approval.ts';
import { overrideByLink } from '#shared/application/override-refusal.ts';
import { previewToken } from '#shared/application/preview-token.ts';
import type { TokenRefusal } from '#shared/domain/approval-token.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { SECURITY_HEADERS } from './html.ts';
import { ACTIONS, type Action, confirmationPage, donePage, refusedPage } from './pages.ts';

/** A request as the platform received it. */
export interface ApprovalHttpRequest {
  readonly method: string;
  /** The request path; its last segment names the action (`/approve`, `/api/approval/reject`, …). */
  readonly path: string;
  readonly query: Readonly<Record<string, string | undefined>>;
  /** The body as text (already base64-decoded by the adapter), for a POST. */
  readonly body?: string;
  readonly contentType?: string;
  /**
   * The identity the platform authenticated (SSO in front of the endpoint, an IAM principal); absent
   * when the endpoint is open, and then the form asks for a name, recorded as a claim.
   */
  readonly identity?: string;
}

/** The answer: always an HTML page with the security headers. */
export interface ApprovalHttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** One log entry per request; never the token, the query or the body. */
export interface ApprovalLogEntry {
  readonly method: string;
  readonly action: Action | 'unknown';
  readonly status: number;
  readonly outcome: string;
  readonly app?: string;
  readonly failoverId?: string;
  readonly refusal?: TokenRefusal | 'bad-request';
}

/** What the endpoint works with. */
export interface ApprovalHttpDeps {
  readonly controller: Controller;
  readonly plans: readonly RecoveryPlan[];
  readonly log?: (entry: ApprovalLogEntry) => void;
}

/** The largest form accepted (a token is at most 2 KiB; name and comment are capped). */
export const MAX_FORM_BYTES = 16 * 1024;

/** The HTTP status of each refusal. */
export const REFUSAL_STATUS: { readonly [R in TokenRefusal]: number } = {
  malformed: 400,
  'wrong-decision': 400,
  'unknown-key': 403,
  forged: 403,
  'unknown-app': 404,
  expired: 410,
  'not-current': 409,
  used: 409,
};

/** Answers one request. Throws only for store or provider failures (the adapter answers 5xx). */
export async function handleApprovalRequest(
  request: ApprovalHttpRequest,
  deps: ApprovalHttpDeps,
): Promise<ApprovalHttpResponse> {
  const segment = request.path.split('/').filter(Boolean).at(-1) ?? '';
  const action = Object.hasOwn(ACTIONS, segment) ? (segment as Action) : undefined;
  const method = request.method.toUpperCase();
  const answer = (
    status: number,
    body: string,
    entry: Omit<ApprovalLogEntry, 'method' | 'action' | 'status'>,
    extra = {},
  ) => {
    deps.log?.({ method, action: action ?? 'unknown', status, ...entry });
    return { status, headers: { ...SECURITY_HEADERS, ...extra }, body };
  };
  const bad = (status: number, title: string, reason: string) =>
    answer(status, refusedPage(title, reason), { outcome: reason, refusal: 'bad-request' });
  if (!action)
    return bad(
      404,
      'Not found',
      'This address is not an approval link: the paths are /approve, /reject and /override.',
    );
  if (method !== 'GET' && method !== 'HEAD' && method !== 'POST')
    return answer(
      405,
      refusedPage('Method not allowed', `${method} is not used here: open the link, then press the button.`),
      { outcome: 'method not allowed', refusal: 'bad-request' },
      { allow: 'GET, HEAD, POST' },
    );

  if (method !== 'POST') {
    const token = request.query['t'];
    if (!token)
      return bad(400, 'No token', 'The link has no token (t=…): open the whole link from the message.');
    const preview = await previewToken(deps.controller, deps.plans, token, action);
    if (!preview.ok)
      return answer(
        REFUSAL_STATUS[preview.refusal ?? 'not-current'],
        refusedPage('This link cannot act', preview.reason),
        {
          outcome: 'refused',
          ...(preview.app ? { app: preview.app } : {}),
          ...(preview.refusal ? { refusal: preview.refusal } : {}),
        },
      );
    const body = confirmationPage(preview, {
      token,
      formAction: action,
      ...(request.identity ? { identity: request.identity } : {}),
    });
    return answer(200, method === 'HEAD' ? '' : body, {
      outcome: 'confirmation shown',
      app: preview.plan.name,
      failoverId: preview.claims.failoverId,
    });
  }

  const form = readForm(request);
  if ('problem' in form) return bad(form.status, 'Bad request', form.problem);
  const token = form.fields.get('t');
  if (!token) return bad(400, 'No token', 'The form has no token: open the link from the message again.');
  const name = form.fields.get('name')?.trim();
  if (!request.identity && !name)
    return bad(
      400,
      'Your name is needed',
      'Give your name: this link does not sign you in, so the decision records who you say you are.',
    );
  const approver: Approver = request.identity
    ? { id: request.identity, authenticated: true }
    : { id: (name ?? '').slice(0, 200), authenticated: false };
  const result =
    action === 'override'
      ? await overrideByLink(deps.controller, deps.plans, token, approver, form.fields.get('reason') ?? '')
      : await decideApproval(
          deps.controller,
          deps.plans,
          token,
          approver,
          action,
          form.fields.get('comment')?.slice(0, MAX_COMMENT_CHARS),
        );
  if (!result.ok)
    return answer(
      result.refusal ? REFUSAL_STATUS[result.refusal] : 400,
      refusedPage(`Not ${ACTIONS[action].done.toLowerCase()}`, result.reason),
      {
        outcome: 'refused',
        ...(result.app ? { app: result.app } : {}),
        ...(result.refusal ? { refusal: result.refusal } : { refusal: 'bad-request' }),
      },
    );
  return answer(200, donePage(action, result.app, result.reason, result.failoverId), {
    outcome: result.reason,
    app: result.app,
    failoverId: result.failoverId,
  });
}

/** The form fields of a POST, or why there are none. */
function readForm(
  request: ApprovalHttpRequest,
): { readonly fields: URLSearchParams } | { readonly status: number; readonly problem: string } {
  const type = (request.contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded')
    return {
      status: 415,
      problem: `The form must be sent as application/x-www-form-urlencoded (received ${type || 'no content type'}).`,
    };
  const body = request.body ?? '';
  if (Buffer.byteLength(body) > MAX_FORM_BYTES)
    return { status: 413, problem: `The form is larger than ${MAX_FORM_BYTES} bytes.` };
  return { fields: new URLSearchParams(body) };
}
