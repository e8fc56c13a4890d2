/** `standby status`: what each application looks like now. */

import { buildStatus, type StatusReport } from '#shared/application/status.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import type { DeployedFlags } from '../deployed-engine-flags.ts';
import type { Engine } from '../engine.ts';
import { ExitCode } from '../errors.ts';
import { freshnessJson } from '../format/json.ts';
import { renderFreshnessGroups } from '../format/table.ts';
import { type CliIo, useColour } from '../io.ts';
import { withDeliveredTokens } from '../simulated-inbox.ts';
import { openEngineRun } from './run-context.ts';

/** The checked options of `status`. */
export interface StatusOptions {
  readonly plan: readonly string[];
  readonly world?: string;
  /** Where controller state is kept (default `.standby/`). */
  readonly state: string;
  readonly json: boolean;
  /** A deployed controller instead of the state directory (see `deployed-engine.ts`). */
  readonly deployed?: DeployedFlags;
}

/** The status of `plans`, with — in a simulation only — the tokens the simulated inbox received. */
export async function engineStatus(engine: Engine, plans: readonly RecoveryPlan[]): Promise<StatusReport> {
  return withDeliveredTokens(await buildStatus(plans, engine), engine.deliveredTokens());
}

/** The `status --json` document, freshness entries in SPEC field order. */
export function statusDocument(report: StatusReport): unknown {
  return {
    generatedAt: report.generatedAt,
    apps: report.apps.map((app) => ({ ...app, freshness: app.freshness.map(freshnessJson) })),
  };
}

/** The status for people: per app, the site, the failover and its steps, then freshness. */
export function renderStatusTable(report: StatusReport, colour: boolean): string {
  const groups = report.apps.map((app) => {
    const f = app.failover;
    const failover = f ? `${f.phase}${f.reason ? ` (${f.reason})` : ''}` : 'none';
    const earlier = app.earlierFailovers.length
      ? `\n  earlier failovers: ${app.earlierFailovers.map((e) => `${e.startedAt} ${e.phase}`).join('; ')}`
      : '';
    // Steps by label (a probe by the URL it checks); the width follows the longest.
    const width = Math.max(28, ...(f?.steps ?? []).map((s) => s.label.length));
    const steps = f
      ? `\n${f.steps.map((s) => `    ${s.label.padEnd(width)} ${s.status.padEnd(9)} ${s.jobId ?? ''}`.trimEnd()).join('\n')}`
      : '';
    const pending = app.notifications
      .filter(
        (n) => n.kind === 'approval-request' && f?.phase === 'awaiting-approval' && n.failoverId === f.id,
      )
      .map(
        (n) =>
          `\n  approval requested via ${n.channel} ${n.target}: standby approve <token> (see status --json)`,
      )
      .join('');
    return {
      heading: `${app.name}  active site: ${app.activeSite}  failover: ${failover}${steps}${pending}${earlier}`,
      rows: app.freshness,
    };
  });
  return `${renderFreshnessGroups(groups, colour)}\n\nas of ${report.generatedAt}\n`;
}

/** Prints the status. It is a view, not a check: it exits 0 whatever the freshness. */
export async function statusCommand(options: StatusOptions, io: CliIo): Promise<number> {
  const { plans, engine } = await openEngineRun(options);
  const report = await engineStatus(engine, plans);
  io.stdout.write(
    options.json
      ? `${JSON.stringify(statusDocument(report), null, 2)}\n`
      : renderStatusTable(report, useColour(io)),
  );
  return ExitCode.Ok;
}
