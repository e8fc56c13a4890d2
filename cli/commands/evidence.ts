/**
 * `standby evidence --plan P [--app NAME] [--format markdown|json]`: the evidence report, with the
 * recovery-invariant sentence per application — or the exact reason it cannot be completed.
 */
import type { Controller } from '#shared/application/controller.ts';
import { evidenceReport } from '#shared/application/evidence-report.ts';
import { formatAge, formatDuration } from '#shared/domain/duration.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import type { AppEvidence, ReportedDrill } from '#shared/domain/evidence-report.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { ExitCode } from '../errors.ts';
import type { CliIo } from '../io.ts';
import { openEngineRun } from './run-context.ts';

/** Formats of the report. */
export const EVIDENCE_FORMATS = ['markdown', 'json'] as const;

/** The checked options of `evidence`. */
export interface EvidenceOptions {
  readonly plan: readonly string[];
  readonly world?: string;
  readonly state: string;
  readonly app?: string;
  readonly format: (typeof EVIDENCE_FORMATS)[number];
}

/**
 * 1. Load the plans (and the simulated clock with `--world`); an unknown `--app` is an input error.
 * 2. Build each application's report from its evidence chain.
 * 3. Print it; exit 2 when a chain is broken or an invariant sentence cannot be completed.
 */
export async function evidenceCommand(options: EvidenceOptions, io: CliIo): Promise<number> {
  const { plans, engine } = await openEngineRun(options);
  const chosen = options.app === undefined ? plans : plans.filter((p) => p.name === options.app);
  if (chosen.length === 0)
    throw new InvalidInputError(
      `no application "${options.app}" in the plan set; expected one of: ${plans.map((p) => p.name).join(', ')}`,
    );
  const document = await evidenceDocument(engine.controller, chosen);
  const { apps } = document;
  io.stdout.write(
    options.format === 'json' ? `${JSON.stringify(document, null, 2)}\n` : renderMarkdown(apps),
  );
  return apps.every((a) => a.chain.ok && a.invariant) ? ExitCode.Ok : ExitCode.ProblemFound;
}

/** The `evidence --format json` document of `plans` (also `serve`'s `GET /api/evidence`). */
export async function evidenceDocument(
  controller: Controller,
  plans: readonly RecoveryPlan[],
): Promise<{ readonly generatedAt: string; readonly apps: readonly AppEvidence[] }> {
  const apps = await evidenceReport(controller, plans);
  return { generatedAt: controller.clock.now().toISOString(), apps };
}

const d = (s: number | null) => (s === null ? '—' : formatDuration(s));
const measured = (s: number | null) => (s === null ? '—' : formatAge(s));

function renderMarkdown(apps: readonly AppEvidence[]): string {
  return `${apps.map(appMarkdown).join('\n')}`;
}

/** Whether each recovery vault is immutable, as the last audit read it; an unlocked vault is a finding. */
function vaultLines(a: AppEvidence): string[] {
  if (!a.vaults) return ['Recovery vault immutability: not observed (no audit on record read it)'];
  return [
    `Recovery vault immutability (audit of ${a.vaults.observedAt}):`,
    ...a.vaults.vaults.map((v) =>
      v.finding ? `- FINDING: ${v.finding}` : `- ${v.vault}: ${v.immutability} — ${v.detail}`,
    ),
    ...a.vaults.notObserved.map((v) => `- ${v}: not observed (the audit cannot read this vault's settings)`),
  ];
}

function appMarkdown(a: AppEvidence): string {
  const lines = [
    `## ${a.app}`,
    '',
    `Objectives: RPO ${d(a.objectives.rpoSeconds)}, RTO ${d(a.objectives.rtoSeconds)} — ${a.primary} → ${a.recovery}`,
    '',
    a.invariant ? `> ${a.invariant}` : `> The recovery invariant cannot be stated: ${a.notProvedBecause}.`,
    '',
    `Evidence chain: ${a.chain.ok ? `intact (${a.chain.records} records)` : `BROKEN — ${a.chain.reason}`}`,
    `Highest validation level proved: ${a.highestLevel ? `${a.highestLevel.level} at ${a.highestLevel.at}` : 'none'}`,
    `Next drill due: ${a.nextDrillDue ?? 'no drill schedule in the plan'}`,
    ...vaultLines(a),
    '',
    '### Drills',
    '',
  ];
  if (a.drills.length === 0) lines.push('No drill on record.', '');
  else
    lines.push(
      '| Restore Drill ID | Started | Outcome | Level | RPO target | Actual RPO | RTO target | Actual RTO | Failed checks | Left behind |',
      '|---|---|---|---|---|---|---|---|---|---|',
      ...a.drills.map(drillRow),
      '',
    );
  lines.push('### Failovers', '');
  if (a.failovers.length === 0) lines.push('No failover on record.', '');
  for (const f of a.failovers) {
    lines.push(`Failover ${f.failoverId}:`, '');
    for (const p of f.phases) lines.push(`- ${p.at} **${p.phase}** — ${p.reason}`);
    for (const x of f.decisions) lines.push(`- ${x.at} ${x.decision} by ${x.by}`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

function drillRow(r: ReportedDrill): string {
  const cells = [
    r.drillId,
    r.startedAt,
    r.outcome,
    r.level ?? '—',
    d(r.rpoTargetSeconds),
    measured(r.rpoSeconds),
    d(r.rtoTargetSeconds),
    measured(r.rtoSeconds),
    r.failedChecks.join('; ') || 'none',
    leftBehindCell(r),
  ];
  return `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
}

/** What a drill left: kept for inspection until its expiry, then deleted — or left for a human, named. */
function leftBehindCell(r: ReportedDrill): string {
  if (r.cleanup) {
    const left = r.cleanup.leftBehind.map((x) => `${x.createdResource} (${x.error ?? 'not deleted'})`);
    return left.length
      ? `kept, then not deleted: ${left.join(', ')} — delete by hand`
      : `kept until ${r.keptUntil ?? r.cleanup.at}, deleted ${r.cleanup.at}`;
  }
  if (r.keptUntil && r.leftBehind.length) return `${r.leftBehind.join(', ')} (kept until ${r.keptUntil})`;
  return r.leftBehind.join(', ') || 'nothing';
}
