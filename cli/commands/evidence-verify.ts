/**
 * `standby evidence verify [--app NAME]`: recompute the evidence hash chain of each application kept
 * under `--state DIR`; exit 2 naming the first record changed, removed or reordered.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { verifyEvidence } from '#shared/application/verify-evidence.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import type { ChainVerdict } from '#shared/domain/evidence.ts';
import { verifyExport } from '#shared/domain/evidence-export.ts';
import { FileStateStore } from '../adapters/file-state-store.ts';
import { ExitCode } from '../errors.ts';
import type { CliIo } from '../io.ts';

/** The checked options of `evidence verify`. */
export interface EvidenceVerifyOptions {
  readonly state: string;
  readonly app?: string;
  /** An export (`standby evidence export`) to verify instead of the state. */
  readonly file?: string;
  readonly json: boolean;
}

/**
 * 1. Open the controller's state under DIR (read only: verifying changes nothing).
 * 2. Verify the chain of the application asked for, or of every application that has one.
 * 3. Print one line per application (or one JSON document); exit 2 when any chain is broken, or when
 *    the application asked for has no evidence at all.
 */
export async function evidenceVerifyCommand(options: EvidenceVerifyOptions, io: CliIo): Promise<number> {
  const verdicts = options.file
    ? [await verifyExportFile(options.file)]
    : await verifyEvidence(new FileStateStore({ dir: join(options.state, 'controller') }), options.app);
  const empty = verdicts.filter((v) => v.records === 0 && v.ok);
  if (options.json) io.stdout.write(`${JSON.stringify({ chains: verdicts }, null, 2)}\n`);
  else {
    if (verdicts.length === 0) io.stdout.write(`no evidence recorded under ${options.state}\n`);
    for (const v of verdicts)
      io.stdout.write(
        v.ok ? `ok      ${v.app}: ${v.records} record(s), chain intact\n` : `BROKEN  ${v.reason}\n`,
      );
    for (const v of empty)
      io.stderr.write(`standby: ${v.app} has no evidence records under ${options.state}\n`);
  }
  return verdicts.some((v) => !v.ok) || empty.length > 0 ? ExitCode.ProblemFound : ExitCode.Ok;
}

/** The verdict on an exported file; a file that is no export is an input error naming why. */
async function verifyExportFile(file: string): Promise<ChainVerdict> {
  const verdict = verifyExport(await readFile(file, 'utf8'));
  if ('problem' in verdict) throw new InvalidInputError(`${file}: ${verdict.problem}`);
  return verdict;
}
