import { describe, expect, it } from 'vitest';
import { restoredResourceCleaner } from '#cli/adapters/restored-resource-cleaner.ts';
import { ProviderError } from '#shared/domain/errors.ts';
import type { ProtectedResource } from '#shared/domain/plan.ts';
import type { RestoredResourceCleaner } from '#shared/ports/recovery-actions.ts';

const resource = { name: 'r' } as ProtectedResource;

/** Factories whose cleaners record what they were asked to delete, and how often each was built. */
function recordingFactories() {
  const deleted: string[] = [];
  const built: string[] = [];
  const make = (cloud: string) => async (): Promise<RestoredResourceCleaner> => {
    built.push(cloud);
    return {
      delete: async (_r, id) => {
        deleted.push(`${cloud} ${id}`);
        return { state: 'deleted', detail: id };
      },
    };
  };
  return { factories: { aws: make('aws'), azure: make('azure') }, deleted, built };
}

describe('restoredResourceCleaner (real clouds)', () => {
  it.each([
    { id: 'arn:aws:rds:eu-central-1:111122223333:db:case-db-drill', cloud: 'aws' },
    {
      id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-drill/providers/Microsoft.Compute/disks/d',
      cloud: 'azure',
    },
  ])('sends $id to the $cloud cleaner, built on its first delete only', async ({ id, cloud }) => {
    const { factories, deleted, built } = recordingFactories();
    const cleaner = restoredResourceCleaner(undefined, factories);
    expect(built).toEqual([]);

    await cleaner.delete(resource, id);
    await cleaner.delete(resource, id);

    expect(deleted).toEqual([`${cloud} ${id}`, `${cloud} ${id}`]);
    expect(built).toEqual([cloud]);
  });

  it('refuses an id of neither cloud, naming it, and builds nothing', async () => {
    const { factories, built } = recordingFactories();
    const cleaner = restoredResourceCleaner(undefined, factories);

    const error = await cleaner
      .delete(resource, 'https://x.blob.core.windows.net/c')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toMatch(
      /cannot delete https:\/\/x\.blob\.core\.windows\.net\/c: neither/,
    );
    expect(built).toEqual([]);
  });
});
