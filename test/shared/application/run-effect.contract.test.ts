/**
 * The effects of failover commands that act on what the failover restored (run-effect.ts): the
 * traffic switch, read back before and after its call, and the drill's delete of what it restored —
 * each outcome's event in full, on scripted ports.
 */
import { describe, expect, it } from 'vitest';
import { LeaseLostError } from '#shared/application/lease.ts';
import { runEffect } from '#shared/application/run-effect.ts';
import type { Failover } from '#shared/domain/failover.ts';
import type { Command } from '#shared/domain/failover-commands.ts';
import type { ActiveSite } from '#shared/ports/recovery-actions.ts';
import { at, F1, probed, restored, run, start, t0 } from '../../support/failovers.ts';
import { journal, ports } from '../../support/scripted-ports.ts';

const at0 = new Date(t0);

describe('switch-traffic', () => {
  const command: Command = { type: 'switch-traffic' };
  /** Switching, the switch on its second attempt. */
  const second = () =>
    run(
      probed(restored(start())),
      { type: 'switch-requested', ...F1, at: at(1301) },
      { type: 'switch-failed', ...F1, at: at(1301), reason: 'x', attempt: 1 },
      { type: 'switch-requested', ...F1, at: at(1312) },
    );
  const scope = { ...F1, at: at0 };
  const rows: [string, { sites: (ActiveSite | Error)[]; switchTo?: Error }, string[], unknown][] = [
    [
      'traffic already on the recovery site: nothing switched',
      { sites: ['recovery'] },
      ['read'],
      { type: 'switched', ...scope, detail: 'traffic already on the recovery site (read back)' },
    ],
    [
      'the primary active: the fence, then the switch',
      { sites: ['primary'] },
      ['read', 'fence', 'switch recovery'],
      { type: 'switched', ...scope, detail: 'traffic switched to the recovery site' },
    ],
    [
      'routing that cannot be read: switched all the same (idempotent)',
      { sites: [new Error('503')] },
      ['read', 'fence', 'switch recovery'],
      { type: 'switched', ...scope, detail: 'traffic switched to the recovery site' },
    ],
    [
      'a failed call after which the routing reads recovery: switched, reply lost',
      { sites: ['primary', 'recovery'], switchTo: new Error('500 InternalError') },
      ['read', 'fence', 'switch recovery', 'read'],
      { type: 'switched', ...scope, detail: 'switched; the call reported: 500 InternalError' },
    ],
    [
      'a failed call after which the routing reads primary: failed, in its attempt',
      { sites: ['primary', 'primary'], switchTo: new Error('AccessDenied') },
      ['read', 'fence', 'switch recovery', 'read'],
      { type: 'switch-failed', ...scope, attempt: 2, reason: 'AccessDenied' },
    ],
    [
      'a failed call after which the routing cannot be read: unknown, in its attempt',
      { sites: ['primary', new Error('503')], switchTo: new Error('timeout') },
      ['read', 'fence', 'switch recovery', 'read'],
      { type: 'switch-unknown', ...scope, attempt: 2, reason: 'timeout' },
    ],
  ];
  it.each(rows)('records %s', async (_name, script, order, expected) => {
    const j = journal();
    expect(await runEffect(command, second(), ports(script, j.calls), j.fence)).toStrictEqual(expected);
    expect(j.calls).toEqual(order);
  });

  it('names no attempt for a switch never asked for', async () => {
    const event = await runEffect(
      command,
      probed(restored(start())),
      ports({ sites: ['primary', 'primary'], switchTo: new Error('AccessDenied') }),
    );
    expect(event).toStrictEqual({ type: 'switch-failed', ...scope, reason: 'AccessDenied' });
  });

  it('switches nothing when the fence says the lease is lost', async () => {
    const j = journal();
    j.lose();
    await expect(
      runEffect(command, second(), ports({ sites: ['primary'] }, j.calls), j.fence),
    ).rejects.toThrow(LeaseLostError);
    expect(j.calls).toEqual(['read', 'fence']);
  });
});

describe('delete-restored', () => {
  const CREATED = 'arn:aws:rds:eu-central-1:111122223333:db:case-db-drill';
  const command = (createdResource: string | null = CREATED, resource = 'case-db'): Command => ({
    type: 'delete-restored',
    step: `teardown:${resource}`,
    resource,
    createdResource,
  });
  const scope = { ...F1, step: 'teardown:case-db', at: at0 };
  const rows: [string, Command, Parameters<typeof ports>[0], string[], unknown][] = [
    [
      'a resource gone: torn down',
      command(),
      { deleted: { state: 'deleted', detail: 'DeleteDBInstance; gone' } },
      [`delete case-db ${CREATED}`],
      { type: 'torn-down', ...scope, detail: 'DeleteDBInstance; gone' },
    ],
    [
      'a delete still in progress: waiting',
      command(),
      { deleted: { state: 'deleting', detail: 'DBInstanceStatus deleting' } },
      [`delete case-db ${CREATED}`],
      { type: 'teardown-waiting', ...scope, detail: 'DBInstanceStatus deleting' },
    ],
    [
      'a refused delete: failed, with the provider’s words',
      command(),
      { deleted: new Error('AccessDenied deleting it') },
      [`delete case-db ${CREATED}`],
      { type: 'teardown-failed', ...scope, reason: 'AccessDenied deleting it' },
    ],
    [
      'a delete that threw a non-Error',
      command(),
      { deleted: { thrown: 'socket hang up' } },
      [`delete case-db ${CREATED}`],
      { type: 'teardown-failed', ...scope, reason: 'socket hang up' },
    ],
    [
      'a restore that reported nothing created: failed, for a human, deleting nothing',
      command(null),
      {},
      [],
      {
        type: 'teardown-failed',
        ...scope,
        reason: 'the restore of case-db reported no created resource; find and delete it by hand',
      },
    ],
    [
      'a resource the stored plan does not have: failed, deleting nothing',
      command(CREATED, 'case-gone'),
      {},
      [],
      {
        type: 'teardown-failed',
        ...scope,
        step: 'teardown:case-gone',
        reason: 'case-gone is not in the plan',
      },
    ],
    [
      'no clean-up adapter: failed, naming it',
      command(),
      { cleaner: false },
      [],
      { type: 'teardown-failed', ...scope, reason: 'no clean-up adapter is configured' },
    ],
  ];
  it.each(rows)('records %s', async (_name, c, script, calls, expected) => {
    const seen: string[] = [];
    const drill: Failover = { ...start(), purpose: 'drill' };
    expect(await runEffect(c, drill, ports(script, seen))).toStrictEqual(expected);
    expect(seen).toEqual(calls);
  });
});
