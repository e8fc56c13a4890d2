/**
 * `standby evidence export --app A [--out FILE]`: the application's evidence chain as
 * `standby-evidence/v1` JSON Lines (shared/domain/evidence-export.ts), to be put in write-once
 * storage (docs/evidence.md). A broken chain is not exported: that would launder it into storage
 * that is trusted because it cannot change.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readChain, readHead } from '#shared/application/evidence-log.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { verifyChain } from '#shared/domain/evidence.ts';
import { exportChain } from '#shared/domain/evidence-export.ts';
import { FileStateStore } from '../adapters/file-state-store.ts';
import { ExitCode } from '../errors.ts';
import type { CliIo } from '../io.ts';

/** The checked options of `evidence export`. */
export interface EvidenceExportOptions {
  readonly state: string;
  readonly app: string;
  readonly out?: string;
  /** When the export is made (the CLI's clock). */
  readonly now?: () => Date;
}

/**
 * 1. Read the chain and its head under DIR (read only) and verify it; a broken chain exits 2, naming
 *    the record, and nothing is written. An application without records is an input error.
 * 2. Write the export to stdout, or create `--out` (never overwriting a file: exports are kept).
 */
export async function evidenceExportCommand(options: EvidenceExportOptions, io: CliIo): Promise<number> {
  const store = new FileStateStore({ dir: join(options.state, 'controller') });
  const stored = await readChain(store, options.app);
  if (stored.length === 0)
    throw new InvalidInputError(`${options.app} has no evidence records under ${options.state}`);
  const verdict = verifyChain(options.app, stored, await readHead(store, options.app));
  if (!verdict.ok) {
    io.stderr.write(`standby: not exported: ${verdict.reason}\n`);
    return ExitCode.ProblemFound;
  }
  const text = exportChain(options.app, stored, (options.now ?? (() => new Date()))());
  if (options.out === undefined) io.stdout.write(text);
  else {
    await writeFile(options.out, text, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'EEXIST'
        ? new InvalidInputError(`${options.out} exists; an export is never overwritten — choose a new name`)
        : error;
    });
    io.stderr.write(`exported ${stored.length} record(s) of ${options.app} to ${options.out}\n`);
  }
  return ExitCode.Ok;
}
