import { describe, expect, it } from 'vitest';
import { readChain } from '#shared/application/evidence-log.ts';
import { InMemoryStateStore } from '#shared/application/in-memory-state-store.ts';
import { failoverDrafts, recordFailoverEvidence } from '#shared/application/record-failover-evidence.ts';
import { createFailover, type Failover } from '#shared/domain/failover.ts';
import {
  approvalPlan,
  at,
  automatic,
  F1,
  points,
  probed,
  restored,
  run,
  start,
  startDrill,
  t0,
  trigger,
} from '../../support/failovers.ts';

const completed = (f: Failover) =>
  run(
    probed(restored(f)),
    { type: 'switch-requested', ...F1, at: at(1301) },
    {
      type: 'switched',
      ...F1,
      at: at(1301),
      detail: 'switched',
    },
  );
const approved = (s: number) =>
  run(start(approvalPlan()), {
    type: 'approved',
    ...F1,
    at: at(s),
    by: 'ops@example.com',
    authenticated: true,
    recipient: 'sns:arn:aws:sns:eu-central-1:111122223333:dr-approvals',
    nonce: 'nonce-hash',
  });
const iso = (s: number) => at(s).toISOString();

describe('failoverDrafts', () => {
  it('records each phase change with its ref, the trigger on the first only and the level on the terminal one only', () => {
    const drafts = failoverDrafts(completed(start()));
    expect(drafts.map((d) => [d.kind, d.ref, d.at])).toEqual([
      ['phase', 'failover/f1/phase/0', t0.toISOString()],
      ['phase', 'failover/f1/phase/1', iso(1200)],
      ['phase', 'failover/f1/phase/2', iso(1300)],
      ['phase', 'failover/f1/phase/3', iso(1301)],
    ]);
    expect(drafts.map((d) => [d.data['phase'], 'trigger' in d.data, d.data['level'] ?? null])).toEqual([
      ['restoring', true, null],
      ['validating', false, null],
      ['switching', false, null],
      ['completed', false, 'L5'],
    ]);
    expect(drafts[0]!.data).toMatchObject({ failoverId: 'f1', purpose: 'failover', trigger });
  });

  it('puts no level on the phase record of a failover that has not ended', () => {
    expect(failoverDrafts(restored(start())).map((d) => 'level' in d.data)).toEqual([false, false]);
  });

  it('records the decision, without its nonce, right before the phase change it caused', () => {
    const drafts = failoverDrafts(approved(0));
    expect(drafts.map((d) => [d.kind, d.ref])).toEqual([
      ['phase', 'failover/f1/phase/0'],
      ['approval', 'failover/f1/decision'],
      ['phase', 'failover/f1/phase/1'],
    ]);
    expect(drafts[1]!.data).toEqual({
      failoverId: 'f1',
      purpose: 'failover',
      decision: 'approve',
      by: 'ops@example.com',
      authenticated: true,
      recipient: 'sns:arn:aws:sns:eu-central-1:111122223333:dr-approvals',
      at: t0.toISOString(),
    });
  });

  it('records a break-glass override second, and a later decision after it, before the change it caused', () => {
    const override = {
      by: 'oncall',
      reason: 'backups late, outage on',
      accepted: ['fresh-backups' as const],
    };
    const f = run(
      createFailover({ id: 'f1', plan: approvalPlan(), trigger, at: t0, recoveryPoints: points, override }),
      {
        type: 'approved',
        ...F1,
        at: at(60),
        by: 'ops',
        authenticated: false,
        recipient: 'sns:topic',
        nonce: 'n',
      },
    );
    const drafts = failoverDrafts(f);
    expect(drafts.map((d) => [d.kind, d.ref, d.at])).toEqual([
      ['phase', 'failover/f1/phase/0', t0.toISOString()],
      ['override', 'failover/f1/override', t0.toISOString()],
      ['approval', 'failover/f1/decision', iso(60)],
      ['phase', 'failover/f1/phase/1', iso(60)],
    ]);
    expect(drafts[1]!.data).toEqual({ failoverId: 'f1', purpose: 'failover', ...override });
  });

  it('records a decision after every phase change last', () => {
    const f = approved(0);
    const late = { ...f, decision: { ...f.decision!, at: iso(5000) } };
    expect(failoverDrafts(late).map((d) => d.kind)).toEqual(['phase', 'phase', 'approval']);
  });

  it('adds the result of a drill that ended, and nothing for one still running', () => {
    const running = probed(restored(startDrill()));
    expect(failoverDrafts(running).map((d) => d.kind)).toEqual(['phase', 'phase', 'phase']);
    const ended = run(
      running,
      ...running.steps
        .filter((s) => s.kind === 'teardown')
        .flatMap((s) => [
          { type: 'teardown-requested' as const, ...F1, step: s.name, at: at(1400) },
          { type: 'torn-down' as const, ...F1, step: s.name, at: at(1400), detail: 'deleted' },
        ]),
    );
    const drafts = failoverDrafts(ended);
    expect(drafts.at(-1)).toMatchObject({
      kind: 'drill',
      ref: 'drill/f1/result',
      at: iso(1400),
      data: { drillId: 'f1', outcome: 'completed' },
    });
  });
});

describe('recordFailoverEvidence', () => {
  it('records each fact once, however often it is called, catching up what is new', async () => {
    const store = new InMemoryStateStore();
    const f = start(automatic);
    await recordFailoverEvidence(store, f);
    await recordFailoverEvidence(store, f);
    await recordFailoverEvidence(store, completed(f));
    expect((await readChain(store, 'case-management')).map((r) => r.value.ref)).toEqual([
      'failover/f1/phase/0',
      'failover/f1/phase/1',
      'failover/f1/phase/2',
      'failover/f1/phase/3',
    ]);
  });
});
