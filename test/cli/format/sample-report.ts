/** A hand-made audit report with every status and some hostile text, for the format tests. */
import type { AuditReport } from '#shared/application/run-audit.ts';
import type { Freshness } from '#shared/domain/freshness.ts';

const row = (f: Partial<Freshness> & Pick<Freshness, 'resource' | 'status'>): Freshness => ({
  ageSeconds: null,
  rpoSeconds: 900,
  recoveryPoint: null,
  lastJob: null,
  reason: `${f.status} reason`,
  alert: f.status !== 'ok',
  ...f,
});

/** Five resources, one per status, in two apps; the breach reason holds XML and Markdown specials. */
export const sampleReport: AuditReport = {
  generatedAt: '2026-11-21T12:00:00.000Z',
  apps: [
    {
      name: 'alpha',
      freshness: [
        row({
          resource: 'db',
          status: 'ok',
          ageSeconds: 120,
          recoveryPoint: 'arn:aws:backup:eu-central-1:111122223333:recovery-point:rp-1',
        }),
        row({ resource: 'files', status: 'warning', ageSeconds: 800 }),
        row({
          resource: 'documents-long-name',
          status: 'breach',
          ageSeconds: 7200,
          reason: 'older than <RPO> & "stale" | it\'s\nbad \u0007',
        }),
      ],
    },
    {
      name: 'beta',
      freshness: [row({ resource: 'vm', status: 'missing' }), row({ resource: 'aks', status: 'unknown' })],
    },
  ],
  summary: { ok: 1, warning: 1, breach: 1, missing: 1, unknown: 1 },
};
