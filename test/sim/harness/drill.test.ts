/** The drill family of the CI seed set and its regression seeds (see seed-set.ts and sim/harness/drills.ts). */
import { DRILL_SEEDS, describeSeeds } from './seed-set.ts';

describeSeeds(DRILL_SEEDS.first, DRILL_SEEDS.first + DRILL_SEEDS.count - 1, true, 'drill');
