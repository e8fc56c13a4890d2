/** Small pieces every output format shares. */
import { formatAge, formatDuration } from '#shared/domain/duration.ts';
import type { FreshnessStatus } from '#shared/domain/freshness.ts';

/** What makes `audit` exit 2: breach, missing, unknown — and warning when `--strict`. */
export function isFailing(status: FreshnessStatus, strict: boolean): boolean {
  return (
    status === 'breach' || status === 'missing' || status === 'unknown' || (strict && status === 'warning')
  );
}

/** An age for humans, or a dash when there is none (missing / unknown). */
export function ageText(ageSeconds: number | null): string {
  return ageSeconds === null ? '—' : formatAge(ageSeconds);
}

/** An RPO for humans: `15m`, `1h`. */
export function rpoText(rpoSeconds: number): string {
  return formatDuration(rpoSeconds);
}

/**
 * The distinctive tail of a recovery point id, for narrow human formats: the resource part of an ARN
 * (`recovery-point:abc`) or the last segment of an Azure id. The JSON output keeps the full id.
 */
export function shortId(id: string | null): string {
  if (id === null) return '—';
  if (id.startsWith('arn:')) return id.split(':').slice(5).join(':');
  const segments = id.split('/').filter((s) => s !== '');
  return segments.at(-1) ?? id;
}

/** Whether a failover could restore the resource now, as `audit --preflight` adds it to a row. */
export interface Restorability {
  readonly ok: boolean;
  readonly reason: string;
}

/** The preflight's verdict carried by an audit row, when the audit ran one. */
export function restorabilityOf(row: object): Restorability | undefined {
  return (row as { restorable?: Restorability }).restorable;
}

/** `yes`, or `no: <why>`. */
export function restorableText(r: Restorability): string {
  return r.ok ? 'yes' : `no: ${r.reason}`;
}
