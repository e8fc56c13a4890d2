import { describe, expect, it } from 'vitest';
import { markdownCell, renderAuditMarkdown } from '#cli/format/markdown.ts';
import { sampleReport } from './sample-report.ts';

/** The rows of the table under `## heading`, split on unescaped pipes. */
function tableUnder(markdown: string, heading: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(`## ${heading}`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );
  }
  return rows;
}

describe('renderAuditMarkdown', () => {
  it('renders one table per app with a header, a separator and a row per resource', () => {
    const rows = tableUnder(renderAuditMarkdown(sampleReport, { strict: false }), 'alpha');
    expect(rows[0]).toEqual(['Resource', 'Status', 'Age', 'RPO', 'Recovery point', 'Reason']);
    expect(rows[1]).toEqual(['---', '---', '---', '---', '---', '---']);
    expect(rows.slice(2).map((r) => [r[0], r[1], r[2], r[3]])).toEqual([
      ['db', '✅ ok', '2m 0s', '15m'],
      ['files', '⚠️ warning', '13m 20s', '15m'],
      ['documents-long-name', '❌ breach', '2h 0m', '15m'],
    ]);
  });

  it('keeps a reason with pipes and newlines inside its cell', () => {
    const rows = tableUnder(renderAuditMarkdown(sampleReport, { strict: false }), 'alpha');
    expect(rows[4]).toHaveLength(6);
    expect(rows[4]?.[5]).toBe('older than <RPO> & "stale" \\| it\'s<br>bad \u0007');
  });

  it('ends with the summary counts and says how many resources need attention', () => {
    const md = renderAuditMarkdown(sampleReport, { strict: true });
    expect(tableUnder(md, 'Summary')).toEqual([
      ['ok', 'warning', 'breach', 'missing', 'unknown'],
      ['---:', '---:', '---:', '---:', '---:'],
      ['1', '1', '1', '1', '1'],
    ]);
    expect(md).toContain('4 resources need attention.');
  });

  it('adds the API calls when given', () => {
    const md = renderAuditMarkdown(sampleReport, { strict: false, stats: { 'backup:ListBackupJobs': 3 } });
    expect(tableUnder(md, 'API calls (simulated cloud)')).toContainEqual(['`backup:ListBackupJobs`', '3']);
  });

  it.each([
    ['a|b', 'a\\|b'],
    ['one\ntwo', 'one<br>two'],
    ['back\\slash', 'back\\\\slash'],
  ])('escapes %j in a cell', (input, output) => {
    expect(markdownCell(input)).toBe(output);
  });
});
