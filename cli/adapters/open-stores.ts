/**
 * Stores a command opened that hold something open (the embedded DynamoDB of a `serve` state
 * directory: a LevelDB lock). `main` closes them when the command is done, so the next command — or
 * a `serve` — in the same process can open the directory again. Imports nothing: `main` loads it
 * on every run, and `--help` stays fast.
 */
const open = new Set<{ close(): Promise<void> }>();

/** Keeps `store` to be closed when the command ends; returns it. */
export function trackOpenStore<T extends { close(): Promise<void> }>(store: T): T {
  open.add(store);
  return store;
}

/** Forgets `store` (it was closed by its owner). */
export function untrackOpenStore(store: { close(): Promise<void> }): void {
  open.delete(store);
}

/** Closes every store still open. */
export async function closeOpenStores(): Promise<void> {
  const stores = [...open];
  open.clear();
  await Promise.all(stores.map((store) => store.close()));
}
