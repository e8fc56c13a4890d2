/**
 * A progress line on stderr for audits that read many resources. Only on a terminal: in CI logs and
 * pipes a rewritten line is noise, and stdout stays clean for `--json` in every case.
 */
import type { ResourceObservation } from '#shared/domain/recovery-point.ts';
import type { VaultProtection } from '#shared/domain/vault-protection.ts';
import type { BackupInventory, InventoryRequest } from '#shared/ports/backup-inventory.ts';
import type { TextSink } from './io.ts';

/** Audits of at least this many resources show progress. */
export const PROGRESS_THRESHOLD = 20;

/** Reports how many resources an inventory has answered for, as each of its batches completes. */
export class ObservedCounter implements BackupInventory {
  constructor(
    private readonly inner: BackupInventory,
    private readonly onObserved: (resources: number) => void,
  ) {}

  async observe(requests: readonly InventoryRequest[]): Promise<ReadonlyMap<string, ResourceObservation>> {
    const answers = await this.inner.observe(requests);
    this.onObserved(requests.length);
    return answers;
  }

  async protection(vaults: readonly string[], now: Date): Promise<readonly VaultProtection[]> {
    return (await this.inner.protection?.(vaults, now)) ?? [];
  }
}

/** `reading recovery points: 12/42 resources`, rewritten in place, erased when done. */
export class ProgressLine {
  #done = 0;
  #shown = false;

  constructor(
    private readonly sink: TextSink,
    private readonly total: number,
  ) {}

  /** Shows the line at 0. */
  start(): void {
    this.#render();
  }

  /** Counts `n` more resources read. */
  advance(n: number): void {
    this.#done = Math.min(this.total, this.#done + n);
    this.#render();
  }

  /** Erases the line, so the report that follows starts on a clean line. */
  finish(): void {
    if (this.#shown) this.sink.write('\r\x1b[2K');
    this.#shown = false;
  }

  #render(): void {
    this.sink.write(`\r\x1b[2Kreading recovery points: ${this.#done}/${this.total} resources`);
    this.#shown = true;
  }
}
