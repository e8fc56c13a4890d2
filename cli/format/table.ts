/**
 * `--format table` (the default): one aligned block per application, then a summary line. Colour only
 * when the caller says so (stdout is a terminal and `NO_COLOR` is not set).
 */

import type { AuditReport } from '#shared/application/run-audit.ts';
import { FRESHNESS_STATUSES, type Freshness, type FreshnessStatus } from '#shared/domain/freshness.ts';
import { ageText, restorabilityOf, restorableText, rpoText, shortId } from './common.ts';

const SGR: Record<FreshnessStatus, string> = {
  ok: '32',
  warning: '33',
  breach: '31',
  missing: '31',
  unknown: '35',
};

const paint = (text: string, code: string, colour: boolean) =>
  colour ? `\x1b[${code}m${text}\x1b[0m` : text;

/** Pads `cells` to `widths`; colour is applied after padding so escape codes never skew the columns. */
function line(cells: readonly string[], widths: readonly number[], status?: FreshnessStatus, colour = false) {
  return cells
    .map((cell, i) => {
      const padded = i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0);
      return i === 1 && status ? paint(padded, SGR[status], colour) : padded;
    })
    .join('  ')
    .trimEnd();
}

const HEADER = ['RESOURCE', 'STATUS', 'AGE', 'RPO', 'RECOVERY POINT', 'REASON'] as const;

/** A row's cells; with `restorable` (audit --preflight), the preflight's verdict last. */
function cells(f: Freshness, restorable: boolean): string[] {
  const verdict = restorabilityOf(f);
  return [
    f.resource,
    f.status,
    ageText(f.ageSeconds),
    rpoText(f.rpoSeconds),
    shortId(f.recoveryPoint),
    f.reason,
    ...(restorable ? [verdict ? restorableText(verdict) : '—'] : []),
  ];
}

/**
 * Renders groups of freshness rows with one set of column widths shared by every group, so the
 * columns line up down the whole report. `heading` is the line printed above each group.
 */
export function renderFreshnessGroups(
  groups: readonly { readonly heading: string; readonly rows: readonly Freshness[] }[],
  colour: boolean,
): string {
  const restorable = groups.some((g) => g.rows.some((f) => restorabilityOf(f) !== undefined));
  const header: readonly string[] = restorable ? [...HEADER, 'RESTORABLE'] : HEADER;
  const all = [header, ...groups.flatMap((g) => g.rows.map((f) => cells(f, restorable)))];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i]?.length ?? 0)));
  const blocks = groups.map((g) =>
    [
      paint(g.heading, '1', colour),
      `  ${line(header, widths)}`,
      ...g.rows.map((f) => `  ${line(cells(f, restorable), widths, f.status, colour)}`),
    ].join('\n'),
  );
  return blocks.join('\n\n');
}

/** `7 ok, 1 warning, 1 breach, 1 missing, 0 unknown` */
export function summaryText(summary: Record<FreshnessStatus, number>): string {
  return FRESHNESS_STATUSES.map((s) => `${summary[s]} ${s}`).join(', ');
}

/** Lists API calls by `service:Operation`, aligned. */
export function renderStatsTable(stats: Record<string, number>): string {
  const entries = Object.entries(stats);
  const width = Math.max(0, ...entries.map(([api]) => api.length));
  return [
    'API calls served by the simulated cloud:',
    ...entries.map(([api, n]) => `  ${api.padEnd(width)}  ${n}`),
  ].join('\n');
}

/** The audit as a table for a terminal. */
export function renderAuditTable(
  report: AuditReport,
  options: { colour: boolean; stats?: Record<string, number> },
): string {
  const total = report.apps.reduce((n, app) => n + app.freshness.length, 0);
  const parts = [
    renderFreshnessGroups(
      report.apps.map((app) => ({
        heading: app.owner ? `${app.name}  (owner: ${app.owner})` : app.name,
        rows: app.freshness,
      })),
      options.colour,
    ),
    `${total} resource${total === 1 ? '' : 's'} at ${report.generatedAt}: ${summaryText(report.summary)}`,
  ];
  if (options.stats) parts.push(renderStatsTable(options.stats));
  return `${parts.join('\n\n')}\n`;
}
