import { describe, expect, it } from 'vitest';
import { type AdvanceRuntime, createAdvanceHandler } from '#functions/handlers/advance.ts';
import type { Controller } from '#shared/application/controller.ts';
import { createController } from '#shared/application/controller.ts';
import { requestFailover } from '#shared/application/request-failover.ts';
import { ProviderError } from '#shared/domain/errors.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { awsPlanDoc, loadPlan } from '../../support/plans.ts';
import { capturingLogger, fakeController, lambdaContext, storeFailingFor } from './support.ts';

const scheduled = { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} };

function setup(
  plans: RecoveryPlan[],
  controller?: (deps: ReturnType<typeof fakeController>['deps']) => Controller,
) {
  const fakes = fakeController();
  const log = capturingLogger();
  const runtime: AdvanceRuntime = {
    ownPlans: plans,
    controller: controller ? controller(fakes.deps) : fakes.controller,
    logger: log.logger,
  };
  const handler = createAdvanceHandler(async () => runtime);
  return { ...fakes, runtime, log, invoke: () => handler(scheduled, lambdaContext('standby-advance')) };
}

describe('advance handler', () => {
  it('carries a failover whose restore jobs have ended on to completion', async () => {
    const plan = loadPlan();
    const s = setup([plan]);
    await requestFailover(s.runtime.controller, plan, {
      kind: 'alarm',
      ref: 'case-api-health',
      eventId: 'e-1',
    });
    expect(await s.invoke()).toEqual({ 'case-management': 'waiting-for-jobs' });
    s.clock.advance(600);
    expect(await s.invoke()).toEqual({ 'case-management': 'waiting-for-jobs' });
    s.clock.advance(600);
    expect(await s.invoke()).toEqual({ 'case-management': 'ended' });
    expect(s.traffic.site).toBe('recovery');
  });

  it('reports idle plans without touching anything', async () => {
    const s = setup([loadPlan()]);
    expect(await s.invoke()).toEqual({ 'case-management': 'idle' });
    expect(s.restores.calls).toEqual([]);
  });

  it('advances every plan even when one fails, then throws that failure', async () => {
    const healthy = loadPlan(awsPlanDoc('healthy'));
    const broken = loadPlan(awsPlanDoc('broken'));
    const s = setup([broken, healthy], (deps) =>
      createController({
        ...deps,
        store: storeFailingFor(
          deps.store,
          'broken',
          () => new ProviderError('dynamodb:PutItem', 'InternalServerError'),
        ),
      }),
    );
    await expect(s.invoke()).rejects.toThrow(ProviderError);
    expect(s.log.lines()).toContainEqual(
      expect.objectContaining({ results: { healthy: 'idle' }, failed: 1 }),
    );
    expect(s.log.lines()).toContainEqual(expect.objectContaining({ level: 50, code: 'PROVIDER' }));
  });
});
