import { describe, expect, it } from 'vitest';
import { shortId } from '#cli/format/common.ts';
import { renderAuditTable } from '#cli/format/table.ts';
import { sampleReport } from './sample-report.ts';

describe('renderAuditTable', () => {
  it('aligns every column across apps', () => {
    const lines = renderAuditTable(sampleReport, { colour: false }).split('\n');
    const headers = lines.filter((l) => l.trim().startsWith('RESOURCE'));
    expect(headers).toHaveLength(2);
    const statusColumn = headers[0]!.indexOf('STATUS');
    const rows = lines.filter((l) => /^ {2}(db|files|documents-long-name|vm|aks) /.test(l));
    expect(rows).toHaveLength(5);
    for (const row of rows)
      expect(row.slice(statusColumn).split(' ')[0]).toMatch(/^(ok|warning|breach|missing|unknown)$/);
    expect(headers[1]!.indexOf('STATUS')).toBe(statusColumn);
  });

  it('shows a dash for the age of a resource without a point, and ends with the summary', () => {
    const out = renderAuditTable(sampleReport, { colour: false });
    expect(out).toMatch(/ {2}vm +missing +— +15m/);
    expect(out.trimEnd().split('\n').at(-1)).toBe(
      '5 resources at 2026-11-21T12:00:00.000Z: 1 ok, 1 warning, 1 breach, 1 missing, 1 unknown',
    );
  });

  it('colours statuses only when asked', () => {
    expect(renderAuditTable(sampleReport, { colour: false })).not.toContain('\x1b[');
    const coloured = renderAuditTable(sampleReport, { colour: true });
    expect(coloured).toContain('\x1b[31mbreach ');
    expect(coloured).toContain('\x1b[32mok ');
  });

  it('lists API calls when given', () => {
    const out = renderAuditTable(sampleReport, { colour: false, stats: { 'backup:ListBackupJobs': 2 } });
    expect(out).toContain('  backup:ListBackupJobs  2');
  });
});

describe('shortId', () => {
  it.each([
    ['arn:aws:backup:eu-central-1:111122223333:recovery-point:rp-1', 'recovery-point:rp-1'],
    ['arn:aws:rds:eu-central-1:111122223333:snapshot:awsbackup:job-1', 'snapshot:awsbackup:job-1'],
    [
      '/subscriptions/s/resourceGroups/rg/providers/P/backupVaults/v/backupInstances/b/recoveryPoints/42',
      '42',
    ],
    [null, '—'],
  ])('shortens %j to %j', (id, short) => {
    expect(shortId(id)).toBe(short);
  });
});
