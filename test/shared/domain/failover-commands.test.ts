import { describe, expect, it } from 'vitest';
import { createFailover, Phase } from '#shared/domain/failover.ts';
import { intentOf, nextCommands } from '#shared/domain/failover-commands.ts';
import { RETRY_AFTER_SECONDS } from '#shared/domain/failover-transition.ts';
import {
  at,
  automatic,
  F1,
  inPhase,
  probed,
  restore,
  restored,
  run,
  start,
  startDrill,
  trigger,
} from '../../support/failovers.ts';
import { awsPlanDoc, loadPlan, withPlan } from '../../support/plans.ts';

describe('nextCommands', () => {
  it('starts only restores whose dependencies succeeded', () => {
    expect(nextCommands(start(), at(0))).toEqual([
      {
        type: 'start-restore',
        step: 'restore:case-db',
        resource: 'case-db',
        recoveryPoint: 'rp-db',
        idempotencyToken: 'f1-case-db',
      },
    ]);
    const dbDone = run(start(), ...restore('restore:case-db', 'j-db', 1, 600));
    expect(nextCommands(dbDone, at(600)).map((c) => c.type === 'start-restore' && c.step)).toEqual([
      'restore:case-api',
    ]);
  });

  it('asks again with the same idempotency token when a start was requested but its job id never recorded', () => {
    const crashed = run(start(), { type: 'restore-requested', ...F1, step: 'restore:case-db', at: at(1) });
    expect(nextCommands(crashed, at(2))).toMatchObject([
      { type: 'start-restore', idempotencyToken: 'f1-case-db' },
    ]);
  });

  it('waits out the retry delay of a failed start', () => {
    const failed = run(
      start(),
      { type: 'restore-requested', ...F1, step: 'restore:case-db', at: at(1) },
      { type: 'restore-start-failed', ...F1, step: 'restore:case-db', at: at(1), reason: 'throttled' },
    );
    expect(nextCommands(failed, at(1 + RETRY_AFTER_SECONDS - 1))).toEqual([]);
    expect(nextCommands(failed, at(1 + RETRY_AFTER_SECONDS))).toHaveLength(1);
  });

  it('polls running restores that have a job id', () => {
    const running = run(
      start(),
      { type: 'restore-requested', ...F1, step: 'restore:case-db', at: at(1) },
      { type: 'restore-started', ...F1, step: 'restore:case-db', jobId: 'j-db', at: at(1) },
    );
    expect(nextCommands(running, at(2))).toEqual([
      { type: 'check-restore', step: 'restore:case-db', resource: 'case-db', jobId: 'j-db' },
    ]);
  });

  it('only follows running jobs while finishing, never starts new ones', () => {
    expect(nextCommands(inPhase[Phase.Finishing], at(10))).toEqual([
      { type: 'check-restore', step: 'restore:case-api', resource: 'case-api', jobId: 'j-api' },
    ]);
  });

  it('runs the probes once every restore succeeded, and the switch once every probe passed', () => {
    expect(nextCommands(inPhase[Phase.Validating], at(1300))).toEqual([
      { type: 'run-probe', step: 'validate:1', probe: 0 },
    ]);
    expect(nextCommands(inPhase[Phase.Switching], at(1300))).toEqual([{ type: 'switch-traffic' }]);
  });

  it.each([Phase.AwaitingApproval, Phase.Completed, Phase.Aborted, Phase.Failed])(
    'has nothing to do %s',
    (phase) => {
      expect(nextCommands(inPhase[phase], at(5000))).toEqual([]);
    },
  );

  it('records an intent before every effect that changes something, and none before a poll', () => {
    const now = at(1);
    expect(intentOf({ type: 'switch-traffic' }, 'f1', now)).toEqual({
      type: 'switch-requested',
      ...F1,
      at: now,
    });
    expect(intentOf({ type: 'run-probe', step: 'validate:1', probe: 0 }, 'f1', now)).toEqual({
      type: 'probe-requested',
      ...F1,
      step: 'validate:1',
      at: now,
    });
    expect(intentOf({ type: 'check-restore', step: 's', resource: 'r', jobId: 'j' }, 'f1', now)).toBeNull();
  });

  it('runs only the probes not yet passed', () => {
    const plan = loadPlan(
      withPlan(awsPlanDoc(), (d) => {
        d.spec.validate = [
          { http: { url: 'https://case-api.dr.example.com/health' } },
          { http: { url: 'https://case-api.dr.example.com/ready' } },
        ];
      }),
    );
    const onePassed = run(
      restored(start(plan)),
      { type: 'probe-requested', ...F1, step: 'validate:1', at: at(1300) },
      { type: 'probe-passed', ...F1, step: 'validate:1', at: at(1301), detail: '200' },
    );
    expect(nextCommands(onePassed, at(1302))).toEqual([{ type: 'run-probe', step: 'validate:2', probe: 1 }]);
  });

  it('starts a restore without a chosen point with an empty one, for the restore service to refuse', () => {
    const f = createFailover({ id: 'f1', plan: automatic, trigger, at: at(0), recoveryPoints: {} });
    expect(nextCommands(f, at(0))).toMatchObject([{ type: 'start-restore', recoveryPoint: '' }]);
  });

  describe('tearing down', () => {
    const tearing = () => probed(restored(startDrill()));
    const deleteOf = (resource: string) => ({
      type: 'delete-restored',
      step: `teardown:${resource}`,
      resource,
      createdResource: null,
    });

    it('deletes what each restore created, once per resource', () => {
      const created = run(
        startDrill(),
        ...restore('restore:case-db', 'j-db', 1, 10).map((e) =>
          e.type === 'restore-succeeded'
            ? { ...e, createdResource: 'arn:aws:rds:eu-central-1:111122223333:db:case-db-drill' }
            : e,
        ),
        ...restore('restore:case-api', 'j-api', 11, 20),
        { type: 'probe-requested', ...F1, step: 'validate:1', at: at(21) },
        { type: 'probe-passed', ...F1, step: 'validate:1', at: at(22), detail: '200' },
      );
      expect(nextCommands(created, at(23))).toEqual([
        { ...deleteOf('case-db'), createdResource: 'arn:aws:rds:eu-central-1:111122223333:db:case-db-drill' },
        deleteOf('case-api'),
      ]);
    });

    it('asks again for a delete that runs with no answer, and never for one that is done', () => {
      const f = run(
        tearing(),
        { type: 'teardown-requested', ...F1, step: 'teardown:case-db', at: at(2000) },
        { type: 'torn-down', ...F1, step: 'teardown:case-db', at: at(2001), detail: 'deleted' },
        { type: 'teardown-requested', ...F1, step: 'teardown:case-api', at: at(2002) },
      );
      expect(nextCommands(f, at(2003))).toEqual([deleteOf('case-api')]);
    });

    it('waits out the retry delay of a failed delete', () => {
      const f = run(
        tearing(),
        { type: 'teardown-requested', ...F1, step: 'teardown:case-db', at: at(2000) },
        { type: 'teardown-failed', ...F1, step: 'teardown:case-db', at: at(2000), reason: 'throttled' },
      );
      expect(nextCommands(f, at(2000 + RETRY_AFTER_SECONDS - 1))).toEqual([deleteOf('case-api')]);
      expect(nextCommands(f, at(2000 + RETRY_AFTER_SECONDS))).toEqual([
        deleteOf('case-db'),
        deleteOf('case-api'),
      ]);
    });
  });

  it('waits out the retry delay of a failed switch', () => {
    const failed = run(
      inPhase[Phase.Switching],
      { type: 'switch-requested', ...F1, at: at(1400) },
      { type: 'switch-failed', ...F1, at: at(1400), reason: 'denied' },
    );
    expect(nextCommands(failed, at(1400 + RETRY_AFTER_SECONDS - 1))).toEqual([]);
    expect(nextCommands(failed, at(1400 + RETRY_AFTER_SECONDS))).toEqual([{ type: 'switch-traffic' }]);
  });
});
