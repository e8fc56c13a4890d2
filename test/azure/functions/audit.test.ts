import { describe, expect, it } from 'vitest';
import { type AuditRuntime, createAuditHandler } from '#azure/functions/audit.ts';
import { WebhookTeamsNotifier } from '#platform/teams/teams-notifier.ts';
import { readChain } from '#shared/application/evidence-log.ts';
import { InMemoryStateStore } from '#shared/application/in-memory-state-store.ts';
import type { AuditReport } from '#shared/application/run-audit.ts';
import { ManualClock } from '#shared/ports/clock.ts';
import type { OutboundEvent } from '#shared/ports/event-publisher.ts';
import { FakeInventory } from '../../support/fake-ports.ts';
import { azurePlanDoc, loadPlan } from '../../support/plans.ts';
import { invocationContext, timer } from './support.ts';

const WEBHOOK = 'https://contoso.webhook.office.com/webhookb2/abc/IncomingWebhook/def/ghi';

function setup(
  ages: Record<string, number | 'missing' | 'error'>,
  alertTarget?: string,
  metricsFail = false,
) {
  const clock = new ManualClock(new Date('2026-11-21T12:00:00Z'));
  const posts: { url: string; body: string }[] = [];
  const published: OutboundEvent[] = [];
  const measured: AuditReport[] = [];
  const store = new InMemoryStateStore();
  const runtime: AuditRuntime = {
    controller: { store, events: { publish: async (events) => void published.push(...events) } },
    metrics: {
      publish: async (report) => {
        if (metricsFail) throw new Error('monitor:metrics: BackupAgeSeconds: HTTP 403');
        measured.push(report);
      },
    },
    ownPlans: [loadPlan(azurePlanDoc())],
    inventory: new FakeInventory(clock, ages),
    clock,
    notifier: new WebhookTeamsNotifier({
      resolveWebhook: async (reference) => (reference === 'env:ALERTS_WEBHOOK' ? WEBHOOK : undefined),
      fetch: async (url, init) => {
        posts.push({ url: String(url), body: String(init?.body) });
        return new Response(null, { status: 200 });
      },
    }),
    ...(alertTarget ? { alertTarget } : {}),
  };
  const { context, lines } = invocationContext('audit');
  return {
    posts,
    lines,
    published,
    measured,
    store,
    run: () => createAuditHandler(async () => runtime)(timer, context),
  };
}

describe('audit function', () => {
  it('reports a fresh plan and posts nothing', async () => {
    const s = setup({}, 'env:ALERTS_WEBHOOK');
    const report = await s.run();
    expect(report.summary).toMatchObject({ ok: 1 });
    expect(s.posts).toEqual([]);
  });

  it('posts a freshness alert card to the configured Teams webhook when a resource is missing', async () => {
    const s = setup({ 'evidence-files': 'missing' }, 'env:ALERTS_WEBHOOK');
    const report = await s.run();
    expect(report.summary).toMatchObject({ missing: 1 });
    expect(s.posts).toHaveLength(1);
    expect(s.posts[0]!.url).toBe(WEBHOOK);
    expect(s.posts[0]!.body).toContain('- evidence-files: missing');
    expect(s.lines).toContainEqual(
      expect.objectContaining({ level: 'warning', text: expect.stringContaining('evidence-files: missing') }),
    );
  });

  it('only logs the alert when no Teams webhook is configured for alerts', async () => {
    const s = setup({ 'evidence-files': 'error' });
    expect((await s.run()).summary).toMatchObject({ unknown: 1 });
    expect(s.posts).toEqual([]);
    expect(s.lines).toContainEqual(
      expect.objectContaining({ level: 'warning', text: expect.stringContaining('unknown') }),
    );
  });

  it('records the audit on the evidence chain, publishes the breach as an event and writes the metrics', async () => {
    const s = setup({ 'evidence-files': 'missing' });
    const report = await s.run();
    expect(s.measured).toEqual([report]);
    expect((await readChain(s.store, 'evidence-portal')).map((r) => r.value.kind)).toEqual(['audit']);
    expect(s.published).toEqual([
      expect.objectContaining({
        detailType: 'Standby Freshness Breach',
        detail: { app: 'evidence-portal', resources: [{ resource: 'evidence-files', status: 'missing' }] },
      }),
    ]);
  });

  it('only warns when the metrics cannot be written: the audit and its alerts stand', async () => {
    const s = setup({ 'evidence-files': 'missing' }, 'env:ALERTS_WEBHOOK', true);
    expect((await s.run()).summary).toMatchObject({ missing: 1 });
    expect(s.posts).toHaveLength(1);
    expect(s.lines).toContainEqual({
      level: 'warning',
      text: expect.stringContaining('freshness metrics not written'),
    });
  });
});
