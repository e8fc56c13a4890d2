import { InMemoryStateStore } from '#shared/application/in-memory-state-store.ts';
import { describeStateStoreContract } from '../../contracts/state-store.contract.ts';

describeStateStoreContract('InMemoryStateStore', async () => ({
  store: new InMemoryStateStore(),
  close: async () => {},
}));
