/** Chooses the output format of `audit`. */
import type { AuditReport } from '#shared/application/run-audit.ts';
import { renderAuditJson } from './json.ts';
import { renderAuditJunit } from './junit.ts';
import { renderAuditMarkdown } from './markdown.ts';
import { renderAuditTable } from './table.ts';

/** The formats `audit --format` accepts. */
export const AUDIT_FORMATS = ['table', 'json', 'markdown', 'junit'] as const;
/** One of {@link AUDIT_FORMATS}. */
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

/** How to render. `stats` is shown by json, table and markdown; JUnit has no place for it. */
export interface RenderOptions {
  readonly strict: boolean;
  readonly colour: boolean;
  readonly stats?: Record<string, number>;
}

/** Renders the audit in `format`. */
export function renderAudit(format: AuditFormat, report: AuditReport, options: RenderOptions): string {
  const stats = options.stats ? { stats: options.stats } : {};
  switch (format) {
    case 'json':
      return renderAuditJson(report, stats);
    case 'markdown':
      return renderAuditMarkdown(report, { strict: options.strict, ...stats });
    case 'junit':
      return renderAuditJunit(report, { strict: options.strict });
    case 'table':
      return renderAuditTable(report, { colour: options.colour, ...stats });
  }
}
