/** The first half of the CI seed set (see seed-set.ts). */
import { CI_SEEDS, describeSeeds } from './seed-set.ts';

describeSeeds(CI_SEEDS.first, CI_SEEDS.first + CI_SEEDS.count / 2 - 1);
