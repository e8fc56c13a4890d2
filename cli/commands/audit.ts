/** `standby audit`: freshness of every resource; exit 2 on breach/missing/unknown (warning too if strict). */
import { auditFoundProblem, runAudit } from '#shared/application/run-audit.ts';
import { ExitCode } from '../errors.ts';
import { type AuditFormat, renderAudit } from '../format/render.ts';
import { renderStatsTable } from '../format/table.ts';
import { type CliIo, useColour } from '../io.ts';
import { openRun } from './run-context.ts';

/** The checked options of `audit`. */
export interface AuditOptions {
  readonly plan: readonly string[];
  readonly world?: string;
  readonly format: AuditFormat;
  readonly strict: boolean;
  readonly stats: boolean;
  /** Add each resource's preflight verdict (a `restorable` column): the request a failover would send now, checked. */
  readonly preflight?: boolean;
}

/** Runs the audit and prints it in the chosen format. */
export async function auditCommand(options: AuditOptions, io: CliIo): Promise<number> {
  const { plans, runtime, progress } = await openRun(options, io);
  let report = await runAudit(plans, runtime).finally(() => progress?.finish());
  if (options.preflight) {
    const [{ restoreServices, trafficSwitch }, { runPreflight, withRestorability }] = await Promise.all([
      import('../engine.ts'),
      import('../preflight.ts'),
    ]);
    const deps = {
      ...runtime,
      restores: restoreServices(runtime.cloud),
      traffic: trafficSwitch(runtime.cloud),
    };
    report = withRestorability(report, await runPreflight(plans, deps, report));
  }
  const stats = options.stats ? runtime.cloud?.stats() : undefined;
  io.stdout.write(
    renderAudit(options.format, report, {
      strict: options.strict,
      colour: useColour(io),
      ...(stats ? { stats } : {}),
    }),
  );
  // JUnit has no place for call counts; they go to stderr so the XML stays one document.
  if (stats && options.format === 'junit') io.stderr.write(`${renderStatsTable(stats)}\n`);
  return auditFoundProblem(report, options.strict) ? ExitCode.ProblemFound : ExitCode.Ok;
}
