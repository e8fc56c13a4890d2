/**
 * Use case: publish what is new on an application's evidence chain as outbound events. A cursor item
 * (`evidence#<app>` / `published`) names the last record published; it moves only after the publisher
 * accepted the events, with a conditional write — so every event goes out at least once, in chain
 * order, and two publishers racing at worst send one batch twice (consumers de-duplicate on `id`).
 */
import { ConflictError } from '../domain/errors.ts';
import { outboundEventOf } from '../domain/outbound-events.ts';
import type { EventPublisher, OutboundEvent } from '../ports/event-publisher.ts';
import type { ItemKey, StateStore } from '../ports/state-store.ts';
import { readChain } from './evidence-log.ts';

const cursorKey = (app: string): ItemKey => ({ partition: `evidence#${app}`, sort: 'published' });

/**
 * 1. Read the cursor and the records after it.
 * 2. Publish the events they map to (records that publish nothing are passed over).
 * 3. Move the cursor to the last record read, conditionally; a lost race leaves it to the winner.
 * Returns the events published.
 */
export async function publishEvents(
  deps: { readonly store: StateStore; readonly events: EventPublisher },
  app: string,
): Promise<OutboundEvent[]> {
  const { store } = deps;
  const cursor = await store.get<{ seq: number }>(cursorKey(app));
  const after = cursor?.value.seq ?? 0;
  const fresh = (await readChain(store, app)).filter((r) => r.position > after);
  const last = fresh.at(-1);
  if (!last) return [];
  const events = fresh.flatMap((r) => outboundEventOf(r.value) ?? []);
  if (events.length) await deps.events.publish(events);
  try {
    if (cursor) await store.update(cursorKey(app), { seq: last.position }, cursor.version);
    else await store.create(cursorKey(app), { seq: last.position });
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
  }
  return events;
}
