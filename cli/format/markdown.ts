/** `--format markdown`: a GitHub-flavoured table per application and a summary, e.g. for a PR comment. */

import type { AuditReport } from '#shared/application/run-audit.ts';
import { FRESHNESS_STATUSES, type FreshnessStatus } from '#shared/domain/freshness.ts';
import { ageText, isFailing, restorabilityOf, restorableText, rpoText } from './common.ts';

const ICON: Record<FreshnessStatus, string> = {
  ok: '✅',
  warning: '⚠️',
  breach: '❌',
  missing: '❌',
  unknown: '❓',
};

/** Escapes text for a Markdown table cell: pipes would split the cell, newlines would end the row. */
export function markdownCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

const code = (text: string | null) => (text === null ? '—' : `\`${text.replace(/`/g, "'")}\``);

/** The audit as Markdown. */
export function renderAuditMarkdown(
  report: AuditReport,
  options: { strict: boolean; stats?: Record<string, number> },
): string {
  const failing = report.apps.flatMap((a) => a.freshness).filter((f) => isFailing(f.status, options.strict));
  const out = [
    '# Standby freshness audit',
    '',
    `Generated at ${report.generatedAt}. ${failing.length === 0 ? 'Every resource passes.' : `${failing.length} resource${failing.length === 1 ? '' : 's'} need${failing.length === 1 ? 's' : ''} attention.`}`,
  ];
  const restorable = report.apps.some((a) => a.freshness.some((f) => restorabilityOf(f) !== undefined));
  for (const app of report.apps) {
    out.push(
      '',
      `## ${markdownCell(app.name)}${app.owner ? ` (owner: ${markdownCell(app.owner)})` : ''}`,
      '',
    );
    out.push(
      `| Resource | Status | Age | RPO | Recovery point | Reason |${restorable ? ' Restorable |' : ''}`,
      `|---|---|---|---|---|---|${restorable ? '---|' : ''}`,
    );
    for (const f of app.freshness) {
      const verdict = restorabilityOf(f);
      out.push(
        `| ${[
          markdownCell(f.resource),
          `${ICON[f.status]} ${f.status}`,
          ageText(f.ageSeconds),
          rpoText(f.rpoSeconds),
          markdownCell(code(f.recoveryPoint)),
          markdownCell(f.reason),
          ...(restorable ? [markdownCell(verdict ? restorableText(verdict) : '—')] : []),
        ].join(' | ')} |`,
      );
    }
  }
  out.push(
    '',
    '## Summary',
    '',
    `| ${FRESHNESS_STATUSES.join(' | ')} |`,
    `|${FRESHNESS_STATUSES.map(() => '---:|').join('')}`,
  );
  out.push(`| ${FRESHNESS_STATUSES.map((s) => report.summary[s]).join(' | ')} |`);
  if (options.stats) {
    out.push('', '## API calls (simulated cloud)', '', '| API | Calls |', '|---|---:|');
    for (const [api, n] of Object.entries(options.stats)) out.push(`| \`${api}\` | ${n} |`);
  }
  return `${out.join('\n')}\n`;
}
