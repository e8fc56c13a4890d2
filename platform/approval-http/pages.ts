/**
 * The approval pages: a confirmation (what will happen, the data loss accepted, who asked, until when
 * the link works) with the one form that acts, and the answers after it acted or refused.
 */
import type { DataLoss, TokenPreview } from '#shared/application/preview-token.ts';
import type { ApprovalClaims } from '#shared/domain/approval-token.ts';
import { formatAge, formatDuration } from '#shared/domain/duration.ts';
import type { Failover } from '#shared/domain/failover.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { type Html, html, page } from './html.ts';

/** The actions a link can carry, with their words. */
export const ACTIONS = {
  approve: { title: 'Approve the failover of', button: 'Approve failover', style: 'go', done: 'Approved' },
  reject: { title: 'Reject the failover of', button: 'Reject failover', style: 'danger', done: 'Rejected' },
  override: {
    title: 'Fail over anyway:',
    button: 'Fail over anyway',
    style: 'danger',
    done: 'Failover started, gates overridden',
  },
} as const satisfies Record<ApprovalClaims['decision'], unknown>;

/** One of {@link ACTIONS}. */
export type Action = keyof typeof ACTIONS;

/** What the form shows about the person acting. */
export interface FormContext {
  /** The identity the platform authenticated; none: the form asks for a name. */
  readonly identity?: string;
  /** The token, posted back in a hidden field (never in the POST's URL). */
  readonly token: string;
  /** The action's path relative to the page (`approve`, `reject`, `override`). */
  readonly formAction: string;
}

/** The confirmation page of a link that can act. */
export function confirmationPage(preview: Extract<TokenPreview, { ok: true }>, form: FormContext): string {
  const { plan, claims } = preview;
  const action = ACTIONS[preview.action];
  const body =
    preview.action === 'override'
      ? overrideSummary(preview)
      : html`${approvalSummary(plan, preview.failover)}`;
  return page(
    `${action.title} ${plan.name}`,
    html`${body}
<h2>Data loss accepted</h2>${dataLossTable(preview.dataLoss)}
<h2>This link</h2>
<table><tr><th>sent to</th><td><code>${claims.recipient}</code></td></tr>
<tr><th>works until</th><td>${new Date(claims.exp * 1000).toISOString()}, once</td></tr></table>
${actForm(preview.action, form)}`,
  );
}

function approvalSummary(plan: RecoveryPlan, failover: Failover): Html {
  const restores = failover.steps.flatMap((s) => (s.kind === 'restore' ? [s] : []));
  const resources = new Map(plan.resources.map((r) => [r.name, r]));
  return html`<p>Failover <code>${failover.id}</code> of <strong>${plan.name}</strong> from ${plan.primary.cloud} ${plan.primary.region} to <strong>${plan.recovery.cloud} ${plan.recovery.region}</strong> is waiting for a decision.</p>
<table><tr><th>asked by</th><td>${failover.trigger.kind === 'alarm' ? 'alarm' : 'a person'} <code>${failover.trigger.ref}</code>, at ${failover.startedAt}</td></tr>
<tr><th>request expires</th><td>${failover.approval?.expiresAt ?? '—'} (then: ${failover.approval?.onTimeout ?? 'abort'})</td></tr>
${failover.override ? html`<tr><th>gates overridden</th><td>${failover.override.accepted.join(', ')} by ${failover.override.by}: ${failover.override.reason}</td></tr>` : ''}
<tr><th>RPO / RTO</th><td>${formatDuration(plan.rpoSeconds)} / ${formatDuration(plan.rtoSeconds)}</td></tr></table>
<h2>What approving runs</h2>
<table><tr><th>restore</th><th>from recovery point</th><th>after</th></tr>
${restores.map((s) => html`<tr><td>${s.resource} <small class="muted">${resources.get(s.resource)?.source.kind ?? ''}</small></td><td><code>${s.recoveryPoint ?? 'none'}</code></td><td>${s.dependsOn.join(', ') || '—'}</td></tr>`)}
</table>
<p>Then ${plan.validate.length} validation probe(s)${plan.validate.length ? html`: ${plan.validate.map((p, i) => html`${i ? ', ' : ''}<code>${p.url}</code>`)}` : ''}; ${plan.routing ? html`then traffic moves to the recovery site (<code>${plan.routing.kind}</code>).` : 'the plan has no routing block: traffic is not moved.'}</p>`;
}

function overrideSummary(preview: Extract<TokenPreview, { action: 'override' }>): Html {
  const { plan, refused, claims } = preview;
  return html`<p>The failover of <strong>${plan.name}</strong> to <strong>${plan.recovery.cloud} ${plan.recovery.region}</strong> was <strong>refused</strong> at ${refused.startedAt}:</p>
<p class="refused">${refused.reason}</p>
<table><tr><th>asked by</th><td>${refused.trigger.kind === 'alarm' ? 'alarm' : 'a person'} <code>${refused.trigger.ref}</code></td></tr>
<tr><th>this link overrides</th><td>${(claims.accept ?? []).join(', ')} — nothing else can be overridden</td></tr></table>
<h2>The gates now, with the override</h2>
<table><tr><th>gate</th><th>verdict</th><th>why</th></tr>
${preview.gates.map((g) => html`<tr><td>${g.gate}</td><td class="${g.passed ? 'ok' : 'breach'}">${g.overridden ? 'overridden' : g.passed ? 'pass' : 'REFUSES'}</td><td>${g.reason}</td></tr>`)}
</table>
${preview.stillRefused ? html`<p class="warn">Even with the override the failover would be refused now: ${preview.stillRefused}</p>` : ''}
<p>Failing over anyway starts a new failover of ${plan.name}${plan.failover.mode === 'approval' ? ' (which, in mode approval, then asks for approval)' : ''}, restoring ${plan.resources.length} resource(s) from the points below. Who overrode and why is kept with the failover as evidence.</p>`;
}

function dataLossTable(loss: DataLoss): Html {
  if ('unknown' in loss) return html`<p class="warn">Unknown: ${loss.unknown}.</p>`;
  return html`<table><tr><th>resource</th><th>recovery point</th><th>age now</th><th>RPO</th><th>status</th></tr>
${loss.rows.map(
  (r) =>
    html`<tr><td>${r.resource}</td><td><code>${r.recoveryPoint ?? 'none'}</code>${r.note ? html`<br><small>${r.note}</small>` : ''}</td><td>${r.ageSeconds === null ? 'unknown' : formatAge(r.ageSeconds)}</td><td>${formatDuration(r.rpoSeconds)}</td><td class="${r.status}">${r.status}</td></tr>`,
)}</table>
<p class="muted">The data written after each point's time is lost on the recovery site.</p>`;
}

function actForm(action: Action, form: FormContext): Html {
  const words = ACTIONS[action];
  const named = form.identity
    ? html`<p>You are signed in as <strong>${form.identity}</strong>; that is what will be recorded.</p>`
    : html`<label for="name">Your name (recorded as what you say; this link does not sign you in)</label>
<input type="text" id="name" name="name" required maxlength="200" autocomplete="name">`;
  const why =
    action === 'override'
      ? html`<label for="reason">Why fail over anyway (required, kept as evidence)</label>
<textarea id="reason" name="reason" required maxlength="1000" rows="3"></textarea>`
      : html`<label for="comment">Comment (optional, kept with the decision)</label>
<textarea id="comment" name="comment" maxlength="1000" rows="3"></textarea>`;
  return html`<form method="post" action="${form.formAction}">
<input type="hidden" name="t" value="${form.token}">
${named}${why}
<button type="submit" class="${words.style}">${words.button}</button>
</form>
<p class="muted"><small>Opening this page changed nothing. Only the button acts, once.</small></p>`;
}

/** The page after the action was taken. */
export function donePage(action: Action, app: string, reason: string, failoverId: string): string {
  return page(
    `${ACTIONS[action].done}: ${app}`,
    html`<p class="done">${reason}</p><p>Failover <code>${failoverId}</code>. Follow it with <code>standby status</code>.</p>`,
  );
}

/** The page of a link that cannot act (or a request that is wrong), saying why. */
export function refusedPage(title: string, reason: string): string {
  return page(title, html`<p class="refused">${reason}</p><p>Nothing was changed.</p>`);
}
