/**
 * The links a notification carries to the approval endpoint: `<base>/approve?t=…`, `/reject?t=…` and
 * a refusal's `/override?t=…`. Every channel (SNS e-mail, Teams card) builds them here, so the paths
 * are the ones `handleApprovalRequest` answers.
 */
import type { Notification } from '#shared/ports/notifier.ts';

/** The links of one notification; none without a base URL or a token. */
export interface ApprovalLinks {
  readonly approve?: string;
  readonly reject?: string;
  readonly override?: string;
}

/** The links of `notification` under `baseUrl` (an https URL, with or without a trailing slash). */
export function approvalLinks(baseUrl: string | undefined, notification: Notification): ApprovalLinks {
  if (!baseUrl) return {};
  const base = baseUrl.replace(/\/+$/, '');
  const link = (action: string, token: string | undefined) =>
    token ? { [action]: `${base}/${action}?t=${encodeURIComponent(token)}` } : {};
  return {
    ...link('approve', notification.approveToken),
    ...link('reject', notification.rejectToken),
    ...link('override', notification.overrideToken),
  };
}
