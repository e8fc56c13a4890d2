/** `standby validate <plan...>`: checks plan files and says what each one holds. */

import { loadPlans } from '#platform/plan-files.ts';
import { formatDuration } from '#shared/domain/duration.ts';
import type { LoadedPlan } from '#shared/domain/plan-file.ts';
import { ExitCode } from '../errors.ts';
import type { CliIo } from '../io.ts';

function describe({ plan, file, line }: LoadedPlan): string {
  const n = plan.resources.length;
  return (
    `${file}:${line} ${plan.name}: ${n} resource${n === 1 ? '' : 's'}, ` +
    `RPO ${formatDuration(plan.rpoSeconds)}, RTO ${formatDuration(plan.rtoSeconds)}, ` +
    `${plan.primary.cloud} ${plan.primary.region} → ${plan.recovery.cloud} ${plan.recovery.region}, ` +
    `failover ${plan.failover.mode}`
  );
}

/** Reads every plan; problems are thrown (`InvalidPlanError`) and reported by `main`. */
export async function validateCommand(paths: readonly string[], io: CliIo): Promise<number> {
  const plans = await loadPlans(paths);
  for (const loaded of plans) io.stdout.write(`${describe(loaded)}\n`);
  io.stdout.write(`${plans.length} plan${plans.length === 1 ? '' : 's'} valid\n`);
  return ExitCode.Ok;
}
