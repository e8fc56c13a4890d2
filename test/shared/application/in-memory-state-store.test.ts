import { describe, expect, it } from 'vitest';
import { InMemoryStateStore } from '#shared/application/in-memory-state-store.ts';
import { describeStateStoreContract } from '../../contracts/state-store.contract.ts';

describeStateStoreContract('InMemoryStateStore', async () => ({
  store: new InMemoryStateStore(),
  close: async () => {},
}));

describe('InMemoryStateStore conflicts', () => {
  it('names the item and the versions in each conflict', async () => {
    const store = new InMemoryStateStore();
    const key = { partition: 'app#a', sort: 'current' };
    await store.create(key, { n: 1 });
    await expect(store.create(key, { n: 2 })).rejects.toThrow('state item "app#a"/"current" already exists');
    await expect(store.update(key, { n: 2 }, 3)).rejects.toThrow(
      'state item "app#a"/"current" is at version 1, expected version 3',
    );
    await expect(store.update({ ...key, sort: 'none' }, { n: 2 }, 1)).rejects.toThrow(
      'state item "app#a"/"none" is absent, expected version 1',
    );
  });
});
