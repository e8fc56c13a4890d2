import { describe, expect, it } from 'vitest';
import { createRuntime, loadWorld } from '#cli/composition.ts';
import { InvalidInputError, InvalidWorldError } from '#shared/domain/errors.ts';
import { systemClock } from '#shared/ports/clock.ts';

describe('createRuntime', () => {
  it('runs on the world clock, counting calls, with --world', async () => {
    const runtime = await createRuntime({ worldPath: 'examples/world.yaml' });
    expect(runtime.clock.now().toISOString()).toBe('2026-11-21T12:00:00.000Z');
    expect(runtime.cloud?.stats()).toEqual({});
  });

  it('runs on the system clock with no simulated cloud without --world, making no call while built', async () => {
    const runtime = await createRuntime();
    expect(runtime.clock).toBe(systemClock);
    expect(runtime.cloud).toBeUndefined();
  });

  it('reports each resource an inventory answered for, through onObserved', async () => {
    const seen: number[] = [];
    const runtime = await createRuntime({
      worldPath: 'examples/world.yaml',
      onObserved: (n) => seen.push(n),
    });
    const answers = await runtime.inventory.observe([
      {
        key: 'x/db',
        source: {
          kind: 'aws-backup',
          resourceArn: 'arn:aws:rds:eu-west-1:111122223333:db:case-db',
          vaultArn: 'arn:aws:backup:eu-central-1:111122223333:backup-vault:dr-vault',
        },
        recoveryRegion: 'eu-central-1',
        jobsSince: new Date('2026-11-21T11:00:00Z'),
      },
    ]);
    expect(answers.get('x/db')?.ok).toBe(true);
    expect(seen).toEqual([1]);
    expect(runtime.cloud?.stats()['backup:ListRecoveryPointsByBackupVault']).toBe(1);
  });
});

describe('loadWorld', () => {
  it.each([
    { path: 'examples/no-such-world.yaml', error: InvalidInputError },
    { path: 'examples/plans/payments.yaml', error: InvalidWorldError },
  ])('refuses $path with $error.name', async ({ path, error }) => {
    await expect(loadWorld(path)).rejects.toBeInstanceOf(error);
  });
});
