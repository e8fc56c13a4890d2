/** `standby validate <plan...>`: checks plan files and says what each one holds. */

import { loadPlans } from '#platform/plan-files.ts';
import { formatDuration } from '#shared/domain/duration.ts';
import { InvalidPlanError } from '#shared/domain/errors.ts';
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
  if (options.json) return validateJson(paths, io);
  const plans = await loadPlans(paths);
  for (const loaded of plans) io.stdout.write(`${describe(loaded)}\n`);
  io.stdout.write(`${plans.length} plan${plans.length === 1 ? '' : 's'} valid\n`);
  return ExitCode.Ok;
}

/**
 * `validate --json`: one document on stdout — the plans with what each holds, or every problem with
 * its file, line, column, path and message (exit 1). Machines read problems without parsing text.
 */
async function validateJson(paths: readonly string[], io: CliIo): Promise<number> {
  let plans: LoadedPlan[];
  try {
    plans = await loadPlans(paths);
  } catch (error) {
    if (!(error instanceof InvalidPlanError)) throw error;
    io.stdout.write(`${JSON.stringify({ valid: false, problems: error.problems }, null, 2)}\n`);
    return ExitCode.InputError;
  }
  const described = plans.map(({ plan, file, line }) => ({
    file,
    line,
    name: plan.name,
    ...(plan.owner ? { owner: plan.owner } : {}),
    resources: plan.resources.length,
    rpoSeconds: plan.rpoSeconds,
    rtoSeconds: plan.rtoSeconds,
    primary: plan.primary,
    recovery: plan.recovery,
    mode: plan.failover.mode,
  }));
  io.stdout.write(`${JSON.stringify({ valid: true, plans: described }, null, 2)}\n`);
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
