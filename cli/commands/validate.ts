/** `standby validate <plan...>`: checks plan files and says what each one holds. */

import { loadPlans } from '#platform/plan-files.ts';
import { formatDuration } from '#shared/domain/duration.ts';
import type { LoadedPlan } from '#shared/domain/plan-file.ts';
import { ExitCode } from '../errors.ts';
import type { CliIo } from '../io.ts';
import { openRun } from './run-context.ts';

function describe({ plan, file, line }: LoadedPlan): string {
  const n = plan.resources.length;
  return (
    `${file}:${line} ${plan.name}: ${n} resource${n === 1 ? '' : 's'}, ` +
    `RPO ${formatDuration(plan.rpoSeconds)}, RTO ${formatDuration(plan.rtoSeconds)}, ` +
    `${plan.primary.cloud} ${plan.primary.region} → ${plan.recovery.cloud} ${plan.recovery.region}, ` +
    `failover ${plan.failover.mode}`
  );
}

/** What `validate` does beyond reading the plans. */
export interface ValidateOptions {
  /** Build and check every restore request a failover would send now (reads the clouds). */
  readonly preflight?: boolean;
  readonly world?: string;
  readonly json?: boolean;
}

/**
 * Reads every plan; problems are thrown (`InvalidPlanError`) and reported by `main`. With
 * `preflight`, then checks every restore a failover would start now (`../preflight.ts`); exit 2 when
 * one would be refused.
 */
export async function validateCommand(
  paths: readonly string[],
  io: CliIo,
  options: ValidateOptions = {},
): Promise<number> {
  if (options.preflight) return preflightCommand(paths, io, options);
  const plans = await loadPlans(paths);
  for (const loaded of plans) io.stdout.write(`${describe(loaded)}\n`);
  io.stdout.write(`${plans.length} plan${plans.length === 1 ? '' : 's'} valid\n`);
  return ExitCode.Ok;
}

async function preflightCommand(
  paths: readonly string[],
  io: CliIo,
  options: ValidateOptions,
): Promise<number> {
  const { plans, runtime } = await openRun(
    { plan: paths, ...(options.world !== undefined ? { world: options.world } : {}) },
    io,
  );
  const [{ restoreServices, trafficSwitch }, { renderPreflight, preflightFoundProblem, runPreflight }] =
    await Promise.all([import('../engine.ts'), import('../preflight.ts')]);
  const report = await runPreflight(plans, {
    ...runtime,
    restores: restoreServices(runtime.cloud),
    traffic: trafficSwitch(runtime.cloud),
  });
  io.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderPreflight(report));
  return preflightFoundProblem(report) ? ExitCode.ProblemFound : ExitCode.Ok;
}
