/**
 * The evidence log as data (SPEC §1 "Evidence", §4.5): per application an append-only chain of
 * records, each holding the SHA-256 of the record before it, so a record that was changed, removed or
 * reordered is found by recomputing the chain. Pure: sealing and verifying are functions of the
 * records; storing them (one conditional create per record) is `shared/application/evidence-log.ts`.
 */
import { createHash } from 'node:crypto';

/** What a record is evidence of. */
export const EvidenceKind = {
  /** A failover or drill changed phase (SPEC §4.5): one record per entry of its history. */
  Phase: 'phase',
  /** A human approved or rejected a failover. */
  Approval: 'approval',
  /** A human overrode refusing gates (break-glass), with the reason given. */
  Override: 'override',
  /** A freshness audit whose outcome changed, or the day's first audit (the daily digest). */
  Audit: 'audit',
  /** A drill ended: its measured RPO and RTO, the checks and the validation level proved. */
  Drill: 'drill',
  /** What a drill kept for inspection was deleted at its expiry — or is left, named, for a human. */
  Cleanup: 'cleanup',
} as const;
/** One of {@link EvidenceKind}. */
export type EvidenceKind = (typeof EvidenceKind)[keyof typeof EvidenceKind];

/** A record before it is sealed into the chain. */
export interface EvidenceDraft {
  readonly kind: EvidenceKind;
  /** When the fact happened (not when it was recorded). */
  readonly at: string;
  /**
   * The fact's identity (`failover/<id>/phase/<n>`, `audit/<app>/<time>`, …): a fact is recorded once,
   * so a writer that catches up after a crash never records it twice.
   */
  readonly ref: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** One sealed record of an application's chain. */
export interface EvidenceRecord extends EvidenceDraft {
  readonly app: string;
  /** Position in the chain, from 1, without gaps. */
  readonly seq: number;
  /** SHA-256 (hex) of the previous record; `null` for the first. */
  readonly prev: string | null;
  /** SHA-256 (hex) of this record's canonical JSON without `hash`. */
  readonly hash: string;
}

/** Orders the entries of one object by key, in code units. Its keys are distinct: none compares equal. */
// Stryker disable next-line EqualityOperator: `<=` differs from `<` only on equal keys, which one object never has.
const byKey = ([a]: [string, unknown], [b]: [string, unknown]): number => (a < b ? -1 : 1);

/** JSON with object keys sorted at every level: the same record always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(byKey);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The hash a record must carry: SHA-256 of everything in it but the hash itself. */
export function recordHash(record: Omit<EvidenceRecord, 'hash'>): string {
  const { app, seq, prev, kind, at, ref, data } = record;
  return createHash('sha256').update(canonicalJson({ app, seq, prev, kind, at, ref, data })).digest('hex');
}

/** Seals `draft` as the record after `previous` (or the first of `app`'s chain). */
export function sealRecord(
  app: string,
  previous: EvidenceRecord | undefined,
  draft: EvidenceDraft,
): EvidenceRecord {
  const unsealed = {
    app,
    seq: (previous?.seq ?? 0) + 1,
    prev: previous?.hash ?? null,
    kind: draft.kind,
    at: draft.at,
    ref: draft.ref,
    data: draft.data,
  };
  return { ...unsealed, hash: recordHash(unsealed) };
}

/** The newest record an application's chain is known to have reached (kept beside the chain). */
export interface EvidenceHead {
  readonly seq: number;
  readonly hash: string;
}

/** How a chain was tampered with. */
export type TamperKind = 'changed' | 'removed' | 'reordered';

/** The outcome of {@link verifyChain}: sound, or the first record changed, removed or reordered. */
export type ChainVerdict =
  | { readonly ok: true; readonly app: string; readonly records: number }
  | {
      readonly ok: false;
      readonly app: string;
      readonly records: number;
      readonly seq: number;
      readonly tamper: TamperKind;
      readonly reason: string;
    };

/** One stored record: its position (from the store key) and its value as stored. */
export interface StoredRecord {
  readonly position: number;
  readonly value: EvidenceRecord;
}

/**
 * Recomputes `app`'s chain in stored order and names the first record that was:
 * - removed: a position is missing (or the head names records past the end);
 * - reordered: the record at a position is another position's, intact;
 * - changed: its content does not hash to its hash, or its link to the previous record is broken.
 */
export function verifyChain(app: string, stored: readonly StoredRecord[], head?: EvidenceHead): ChainVerdict {
  const records = stored.length;
  const broken = (seq: number, tamper: TamperKind, reason: string): ChainVerdict => ({
    ok: false,
    app,
    records,
    seq,
    tamper,
    reason: `${app}: evidence record ${seq} was ${tamper}: ${reason}`,
  });
  let previous: EvidenceRecord | undefined;
  for (const [i, { position, value }] of stored.entries()) {
    const expected = i + 1;
    if (position !== expected)
      return broken(expected, 'removed', `the chain goes from ${expected - 1} to ${position}`);
    const { hash, ...unsealed } = value;
    if (recordHash(unsealed) !== hash)
      return broken(position, 'changed', 'its content does not match its hash');
    if (value.app !== app) return broken(position, 'changed', `it belongs to the chain of ${value.app}`);
    if (value.seq !== position)
      return broken(position, 'reordered', `position ${position} holds record ${value.seq}`);
    if (value.prev !== (previous?.hash ?? null))
      return broken(
        position - 1,
        'changed',
        `record ${position} holds another hash for it (${value.prev?.slice(0, 12) ?? 'none'}…)`,
      );
    previous = value;
  }
  if (head && head.seq > records)
    return broken(records + 1, 'removed', `the head names record ${head.seq}, the chain ends at ${records}`);
  // Stryker disable next-line OptionalChaining: 1 <= head.seq <= records here, so the record exists.
  if (head && head.seq >= 1 && stored[head.seq - 1]?.value.hash !== head.hash)
    return broken(head.seq, 'changed', 'its hash is not the one the head recorded');
  return { ok: true, app, records };
}
