/** The fence-blind family of the CI seed set (see seed-set.ts and sim/harness/fence-blind-store.ts). */
import { describeSeeds, FENCE_BLIND_SEEDS } from './seed-set.ts';

describeSeeds(
  FENCE_BLIND_SEEDS.first,
  FENCE_BLIND_SEEDS.first + FENCE_BLIND_SEEDS.count - 1,
  false,
  'fence-blind',
);
