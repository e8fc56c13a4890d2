/**
 * The export format of an evidence chain (`standby-evidence/v1`), for write-once storage — an S3
 * bucket with Object Lock in compliance mode, or an Azure Blob container with a locked time-based
 * retention policy (docs/evidence.md): whoever can rewrite the state store can re-seal a whole new
 * chain; an export already under Object Lock cannot be rewritten, and a later export must extend it.
 *
 * JSON Lines: a header line `{ format, app, exportedAt, records, head: { seq, hash } }`, then every
 * sealed record of the chain in order, exactly as stored. Verifying an export recomputes the chain as
 * `verifyChain` does and checks the header against it, naming the first record changed, removed or
 * reordered — a dropped line, two lines swapped, a truncated end or an edited record.
 */
import {
  type ChainVerdict,
  type EvidenceHead,
  type EvidenceRecord,
  type StoredRecord,
  type TamperKind,
  verifyChain,
} from './evidence.ts';

export const EXPORT_FORMAT = 'standby-evidence/v1';

/** The first line of an export. */
export interface ExportHeader {
  readonly format: typeof EXPORT_FORMAT;
  readonly app: string;
  readonly exportedAt: string;
  /** How many records follow. */
  readonly records: number;
  /** The last record exported (null for an empty chain). */
  readonly head: EvidenceHead | null;
}

/** The export of `app`'s chain, whose records are `stored` in chain order. */
export function exportChain(app: string, stored: readonly StoredRecord[], at: Date): string {
  const last = stored.at(-1)?.value;
  const header: ExportHeader = {
    format: EXPORT_FORMAT,
    app,
    exportedAt: at.toISOString(),
    records: stored.length,
    head: last ? { seq: last.seq, hash: last.hash } : null,
  };
  return [header, ...stored.map((s) => s.value)].map((line) => `${JSON.stringify(line)}\n`).join('');
}

/** The verdict on an export; `problem` when the text is not an export at all. */
export type ExportVerdict = ChainVerdict | { readonly ok: false; readonly problem: string };

/**
 * 1. The header: the format, the application.
 * 2. Every following line is a record; its sequence number says where it belongs: a record ahead of
 *    its line was preceded by a removal (or is out of order, when the missing one comes later).
 * 3. The chain recomputed (`verifyChain`), then the header's count and head against it.
 */
export function verifyExport(text: string): ExportVerdict {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const parsed: unknown[] = [];
  for (const [i, line] of lines.entries()) {
    try {
      parsed.push(JSON.parse(line));
    } catch {
      return { ok: false, problem: `line ${i + 1} is not JSON` };
    }
  }
  const header = parsed[0] as Partial<ExportHeader> | undefined;
  if (header?.format !== EXPORT_FORMAT || typeof header.app !== 'string')
    return { ok: false, problem: `line 1 is not a ${EXPORT_FORMAT} header` };
  const app = header.app;
  const records = parsed.slice(1) as EvidenceRecord[];
  const broken = (seq: number, tamper: TamperKind, reason: string): ChainVerdict => ({
    ok: false,
    app,
    records: records.length,
    seq,
    tamper,
    reason: `${app}: evidence record ${seq} was ${tamper}: ${reason}`,
  });
  for (const [i, record] of records.entries()) {
    const expected = i + 1;
    if (record?.seq === expected) continue;
    const later = records.findIndex((r, j) => j > i && r?.seq === expected);
    return later === -1
      ? broken(
          expected,
          'removed',
          `line ${i + 2} holds record ${record?.seq ?? '?'}; record ${expected} is missing`,
        )
      : broken(expected, 'reordered', `it is on line ${later + 2}, after record ${record?.seq ?? '?'}`);
  }
  const verdict = verifyChain(
    app,
    records.map((value, i) => ({ position: i + 1, value })),
  );
  if (!verdict.ok) return verdict;
  if (header.records !== records.length)
    return header.records !== undefined && header.records > records.length
      ? broken(
          records.length + 1,
          'removed',
          `the header lists ${header.records} records, the file holds ${records.length}`,
        )
      : broken(
          records.length,
          'changed',
          `the header lists ${header.records} records, the file holds ${records.length}`,
        );
  const last = records.at(-1);
  if ((header.head?.hash ?? null) !== (last?.hash ?? null) || (header.head?.seq ?? 0) !== (last?.seq ?? 0))
    return broken(last?.seq ?? 0, 'changed', 'its hash is not the one the header recorded');
  return verdict;
}
