import { describe, expect, it } from 'vitest';
import { type AdvanceRuntime, createAdvanceHandler } from '#azure/functions/advance.ts';
import { createController } from '#shared/application/controller.ts';
import { requestFailover } from '#shared/application/request-failover.ts';
import { ProviderError } from '#shared/domain/errors.ts';
import { fakeController, storeFailingFor } from '../../functions/handlers/support.ts';
import { azurePlanDoc, loadPlan, withPlan } from '../../support/plans.ts';
import { invocationContext, timer } from './support.ts';

const automatic = (name: string) =>
  loadPlan(
    withPlan(azurePlanDoc(name), (d) => {
      d.spec.failover = { mode: 'automatic' };
    }),
  );

describe('advance function', () => {
  it('carries a failover on as its restore jobs end, up to the traffic switch', async () => {
    const plan = automatic('evidence-portal');
    const fakes = fakeController();
    const runtime: AdvanceRuntime = { ownPlans: [plan], controller: fakes.controller };
    const run = () => createAdvanceHandler(async () => runtime)(timer, invocationContext('advance').context);
    await requestFailover(fakes.controller, plan, {
      kind: 'alarm',
      ref: 'portal-availability',
      eventId: 'a-1',
    });
    expect(await run()).toEqual({ 'evidence-portal': 'waiting-for-jobs' });
    fakes.clock.advance(600);
    expect(await run()).toEqual({ 'evidence-portal': 'ended' });
    expect(fakes.traffic.site).toBe('recovery');
  });

  it('advances every plan even when one fails, then throws that failure', async () => {
    const fakes = fakeController();
    const runtime: AdvanceRuntime = {
      ownPlans: [automatic('broken'), automatic('healthy')],
      controller: createController({
        ...fakes.deps,
        store: storeFailingFor(
          fakes.deps.store,
          'broken',
          () => new ProviderError('cosmos:replace', '503 Service Unavailable'),
        ),
      }),
    };
    const { context } = invocationContext('advance');
    await expect(createAdvanceHandler(async () => runtime)(timer, context)).rejects.toThrow(ProviderError);
  });
});
