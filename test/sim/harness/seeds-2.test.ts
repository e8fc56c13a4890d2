/** The second half of the CI seed set, and the regression and engine-bug seeds found past it (see seed-set.ts). */
import { CI_SEEDS, describeSeeds } from './seed-set.ts';

describeSeeds(CI_SEEDS.first + CI_SEEDS.count / 2, CI_SEEDS.first + CI_SEEDS.count - 1, true);
