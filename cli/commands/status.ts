/** `standby status`: what each application looks like now. */
import { ExitCode } from '../errors.ts';
import { freshnessJson } from '../format/json.ts';
import { renderFreshnessGroups } from '../format/table.ts';
import { type CliIo, useColour } from '../io.ts';
import { buildStatus, type StatusReport } from '../status.ts';
import { openRun } from './run-context.ts';

/** The checked options of `status`. */
export interface StatusOptions {
  readonly plan: readonly string[];
  readonly world?: string;
  /** Where controller state is kept (default `.standby/`). */
  readonly state: string;
  readonly json: boolean;
}

/** The `status --json` document, freshness entries in SPEC field order. */
export function statusJson(report: StatusReport): string {
  return `${JSON.stringify(
    {
      generatedAt: report.generatedAt,
      apps: report.apps.map((app) => ({ ...app, freshness: app.freshness.map(freshnessJson) })),
    },
    null,
    2,
  )}\n`;
}

function statusTable(report: StatusReport, colour: boolean): string {
  const groups = report.apps.map((app) => ({
    heading: `${app.name}  active site: ${app.activeSite}  failover: ${app.failover === null ? 'none' : 'in progress'}`,
    rows: app.freshness,
  }));
  return `${renderFreshnessGroups(groups, colour)}\n\nas of ${report.generatedAt}\n`;
}

/** Prints the status. It is a view, not a check: it exits 0 whatever the freshness. */
export async function statusCommand(options: StatusOptions, io: CliIo): Promise<number> {
  const { plans, runtime, progress } = await openRun(options, io);
  const report = await buildStatus(plans, runtime).finally(() => progress?.finish());
  io.stdout.write(options.json ? statusJson(report) : statusTable(report, useColour(io)));
  return ExitCode.Ok;
}
