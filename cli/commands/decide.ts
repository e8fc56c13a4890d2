/** `standby approve <token>` / `standby reject <token>`: act on an approval request, then carry on as replay does. */
import { access } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { decideApproval } from '#shared/application/decide-approval.ts';
import { readUnverifiedClaims } from '#shared/domain/approval-token.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import type { DeployedFlags } from '../deployed-engine-flags.ts';
import { ExitCode } from '../errors.ts';
import type { CliIo } from '../io.ts';
import { openEngineRun } from './run-context.ts';
import { engineStatus, renderStatusTable, statusDocument } from './status.ts';

/** The checked options of `approve` / `reject`. */
export interface DecideOptions {
  readonly decision: 'approve' | 'reject';
  readonly token: string;
  readonly plan: readonly string[];
  readonly world?: string;
  readonly state: string;
  readonly json: boolean;
  /** A deployed controller instead of the state directory (see `deployed-engine.ts`). */
  readonly deployed?: DeployedFlags;
}

/**
 * 1. The token must be for this command's decision (an approve token cannot reject and vice versa).
 * 2. The controller verifies signature, expiry and single use, then applies the decision.
 * 3. Run until idle, save, print.
 */
export async function decideCommand(given: DecideOptions, io: CliIo): Promise<number> {
  const options = given.token === '-' ? { ...given, token: await tokenFromStdin(io) } : given;
  // Checks that fail change nothing: no state directory or key is made for a token that cannot act.
  if (!readUnverifiedClaims(options.token))
    throw new InvalidInputError('approval token refused: not a Standby approval token');
  if (!options.deployed && !(await exists(join(options.state, 'approval.key'))))
    throw new InvalidInputError(
      `approval token refused: ${options.state} has no approval key, so no token was issued from it; check --state`,
    );
  const { plans, engine } = await openEngineRun(options);
  // Signature, expiry and single use are checked by the controller with the key of the state directory.
  const decision = readUnverifiedClaims(options.token)?.decision;
  if (decision && decision !== options.decision)
    throw new InvalidInputError(`this is a ${decision} token; use standby ${decision} with it`);
  // The OS user is the identity the CLI can vouch for: it is recorded as authenticated.
  const approver = { id: `cli:${userInfo().username}`, authenticated: true };
  const result = await decideApproval(engine.controller, plans, options.token, approver, options.decision);
  if (!result.ok) throw new InvalidInputError(result.reason);
  const plan = plans.find((p) => p.name === result.app)!;
  // Against a deployed controller this returns at once: its advance function carries the failover on.
  await engine.runUntilIdle([plan]);
  await engine.save();
  const status = await engineStatus(engine, [plan]);
  if (options.json)
    io.stdout.write(`${JSON.stringify({ result, status: statusDocument(status) }, null, 2)}\n`);
  else io.stdout.write(`${result.reason}\n\n${renderStatusTable(status, false)}`);
  return ExitCode.Ok;
}

/** The token piped in (`standby approve - < token.txt`): first non-empty line, trimmed. */
async function tokenFromStdin(io: CliIo): Promise<string> {
  const text = io.readStdin ? await io.readStdin() : '';
  const token = text
    .split('\n')
    .map((l) => l.trim())
    .find(Boolean);
  if (!token)
    throw new InvalidInputError('no token on standard input; pipe the token in, or give it as the argument');
  return token;
}

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );
