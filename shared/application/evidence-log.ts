/**
 * Where the evidence log lives: per application a partition `evidence#<app>` with one item per record
 * (`record#<seq>`, created with a conditional create, never updated) and a `head` item naming the
 * newest record, and a registry partition `evidence` listing the applications that have a chain.
 *
 * Two writers cannot fork a chain: record N is created only if no record N exists, and it holds record
 * N−1's hash. Timeline of a race: A and B both read the chain ending at 4; A creates 5; B's create of 5
 * fails (`ConflictError`); B reads again and creates 6 on top of A's 5. Every fact has an identity
 * (`ref`): a writer that catches up after a crash, or repeats an append, never records a fact twice.
 */

import { ConflictError } from '../domain/errors.ts';
import {
  type EvidenceDraft,
  type EvidenceHead,
  type EvidenceRecord,
  type StoredRecord,
  sealRecord,
} from '../domain/evidence.ts';
import type { ItemKey, StateStore } from '../ports/state-store.ts';

/** Digits of the sequence number in a record's sort key, so the store's order is the chain's order. */
const SEQ_DIGITS = 12;

/** Store keys of the evidence log. */
export const evidenceKeys = {
  partition: (app: string) => `evidence#${app}`,
  record: (app: string, seq: number): ItemKey => ({
    partition: `evidence#${app}`,
    sort: `record#${String(seq).padStart(SEQ_DIGITS, '0')}`,
  }),
  head: (app: string): ItemKey => ({ partition: `evidence#${app}`, sort: 'head' }),
  registry: (app: string): ItemKey => ({ partition: 'evidence', sort: `app#${app}` }),
};

/** The records of `app`'s chain in stored order, each with the position its key names. */
export async function readChain(store: StateStore, app: string): Promise<StoredRecord[]> {
  const items = await store.query<EvidenceRecord>(evidenceKeys.partition(app), 'record#');
  return items.map((i) => ({ position: Number(i.key.sort.slice('record#'.length)), value: i.value }));
}

/** The head of `app`'s chain, if one was written. */
export async function readHead(store: StateStore, app: string): Promise<EvidenceHead | undefined> {
  return (await store.get<EvidenceHead>(evidenceKeys.head(app)))?.value;
}

/** The applications that have an evidence chain. */
export async function listEvidenceApps(store: StateStore): Promise<string[]> {
  // Stryker disable next-line StringLiteral: the registry partition holds only app# items.
  return (await store.query<{ app: string }>('evidence', 'app#')).map((i) => i.value.app);
}

const MAX_ATTEMPTS = 16;

/**
 * Appends the drafts not yet recorded (by `ref`) to `app`'s chain, in order:
 * 1. read the chain; drop drafts whose fact is already on it;
 * 2. create each next record conditionally on its position being free; on a lost race read again;
 * 3. move the head forward (best effort: a head behind the chain is caught up by the next append, and
 *    only a head *ahead* of the chain means records were removed).
 * Returns the records it created.
 */
export async function appendEvidence(
  store: StateStore,
  app: string,
  drafts: readonly EvidenceDraft[],
): Promise<EvidenceRecord[]> {
  // Stryker disable next-line ConditionalExpression: without drafts the loop finds nothing pending and creates nothing; this only spares a read.
  if (drafts.length === 0) return [];
  const created: EvidenceRecord[] = [];
  // Stryker disable next-line EqualityOperator: the last attempt throws before the bound is tested again.
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const chain = await readChain(store, app);
    const known = new Set(chain.map((r) => r.value.ref));
    let last = chain.at(-1)?.value;
    // Stryker disable next-line ArrowFunction: what this batch created is on the chain read again after a lost race, so `known` has it too.
    const pending = drafts.filter((d) => !known.has(d.ref) && !created.some((c) => c.ref === d.ref));
    // Stryker disable next-line ConditionalExpression: with nothing pending the loop body creates nothing and breaks anyway.
    if (pending.length === 0) break;
    // Stryker disable next-line ConditionalExpression: registering again is a lost race, which register ignores.
    if (!last) await register(store, app);
    try {
      for (const draft of pending) {
        const record = sealRecord(app, last, draft);
        await store.create(evidenceKeys.record(app, record.seq), record);
        created.push(record);
        last = record;
      }
      break;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      if (attempt === MAX_ATTEMPTS - 1)
        throw new ConflictError(
          `could not append to the evidence chain of ${app} after ${MAX_ATTEMPTS} attempts`,
          {
            cause: error,
          },
        );
    }
  }
  const newest = created.at(-1);
  if (newest) await moveHead(store, app, { seq: newest.seq, hash: newest.hash });
  return created;
}

async function register(store: StateStore, app: string): Promise<void> {
  await store.create(evidenceKeys.registry(app), { app }).catch((error: unknown) => {
    if (!(error instanceof ConflictError)) throw error; // already registered
  });
}

/** Moves the head to `head` unless it is already there or further. */
async function moveHead(store: StateStore, app: string, head: EvidenceHead): Promise<void> {
  const key = evidenceKeys.head(app);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await store.get<EvidenceHead>(key);
    // Stryker disable next-line EqualityOperator: at the same seq the head is written with the same value.
    if (current && current.value.seq >= head.seq) return;
    try {
      if (current) await store.update(key, head, current.version);
      else await store.create(key, head);
      return;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
}
