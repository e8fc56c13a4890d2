import { describe, expect, it } from 'vitest';
import { createCleanupRuntime } from '#functions/cleanup-composition.ts';
import { type CleanupRuntime, createCleanupHandler } from '#functions/handlers/cleanup-handler.ts';
import { InvalidInputError, ProviderError } from '#shared/domain/errors.ts';
import type { ProtectedResource } from '#shared/domain/plan.ts';
import type { DeleteOutcome } from '#shared/ports/recovery-actions.ts';
import { loadPlan } from '../../support/plans.ts';
import { capturingLogger, lambdaContext } from './support.ts';

const resource = loadPlan().resources[0]!;
const ARN = 'arn:aws:rds:eu-central-1:111122223333:db:case-db-drill';

function setup(answer: (createdResource: string) => Promise<DeleteOutcome>) {
  const calls: { resource: ProtectedResource; createdResource: string }[] = [];
  const log = capturingLogger();
  const runtime: CleanupRuntime = {
    cleaner: {
      delete: async (r, createdResource) => {
        calls.push({ resource: r, createdResource });
        return answer(createdResource);
      },
    },
    logger: log.logger,
  };
  const handler = createCleanupHandler(async () => runtime);
  return { calls, log, invoke: (event: unknown) => handler(event, lambdaContext('standby-cleanup')) };
}

describe('cleanup handler', () => {
  it('deletes the created resource and returns the outcome, logged', async () => {
    const s = setup(async () => ({
      state: 'deleting',
      detail: 'rds:DeleteDBInstance case-db-drill: accepted',
    }));
    const event = JSON.parse(JSON.stringify({ resource, createdResource: ARN }));
    expect(await s.invoke(event)).toEqual({
      state: 'deleting',
      detail: 'rds:DeleteDBInstance case-db-drill: accepted',
    });
    expect(s.calls).toEqual([{ resource, createdResource: ARN }]);
    expect(s.log.lines().at(-1)).toMatchObject({
      app: resource.app,
      resource: resource.name,
      createdResource: ARN,
    });
  });

  it.each([
    ['an empty request', {}, 'resource: Invalid input'],
    ['a request that is no object', 'delete everything', '(request): Invalid input'],
    ['no created resource', { resource }, 'createdResource: Invalid input'],
    ['a created resource that is no ARN', { resource, createdResource: 'case-db-drill' }, 'createdResource'],
    [
      'a resource without a name',
      { resource: { ...resource, name: '' }, createdResource: ARN },
      'resource.name',
    ],
    [
      'a resource of an unknown source kind',
      { resource: { ...resource, source: { kind: 'tape' } }, createdResource: ARN },
      'resource.source.kind',
    ],
    ['an unexpected field', { resource, createdResource: ARN, force: true }, 'force'],
  ])('refuses %s with a reason, deleting nothing', async (_what, event, named) => {
    const s = setup(async () => ({ state: 'deleted', detail: '' }));
    const error = await s.invoke(event).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toMatch(/^clean-up request refused: /);
    expect((error as Error).message).toContain(named);
    expect(s.calls).toEqual([]);
  });

  it('lets a refusal of the delete propagate, with its message', async () => {
    const s = setup(async () => {
      throw new ProviderError('ec2:DeleteVolume', 'volume vol-1: it is attached to i-0abc');
    });
    await expect(s.invoke({ resource, createdResource: ARN })).rejects.toThrow(
      'ec2:DeleteVolume: volume vol-1: it is attached to i-0abc',
    );
  });
});

describe('createCleanupRuntime', () => {
  it.each([undefined, '', '11112222333', 'abc'])('refuses STANDBY_ACCOUNT %j, naming it', (account) => {
    expect(() => createCleanupRuntime({}, account === undefined ? {} : { STANDBY_ACCOUNT: account })).toThrow(
      /needs STANDBY_ACCOUNT, the 12-digit account it runs in/,
    );
  });

  it('refuses an ARN of another account than STANDBY_ACCOUNT before any call', async () => {
    const calls: string[] = [];
    const deletes = {
      rds: {
        'db:': async () => {
          calls.push('db:');
          return { state: 'deleted' as const, detail: '' };
        },
      },
    };
    const { cleaner } = createCleanupRuntime(deletes, { STANDBY_ACCOUNT: '111122223333' });
    await expect(
      cleaner.delete(resource, 'arn:aws:rds:eu-central-1:444455556666:db:case-db-drill'),
    ).rejects.toThrow('it is in account 444455556666, and this clean-up acts in 111122223333 only');
    expect(calls).toEqual([]);
    await cleaner.delete(resource, 'arn:aws:rds:eu-central-1:111122223333:db:case-db-drill');
    expect(calls).toEqual(['db:']);
  });
});
