/**
 * Builders for the per-service delete tests: a plan resource as a drill restored it (its restore
 * metadata with the drill names applied), the parsed ARN a restore job reported, and the official
 * example payloads of `test/fixtures/aws/`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Arn, parseArn } from '#shared/domain/identifiers.ts';
import type { ProtectedResource } from '#shared/domain/plan.ts';

/** A resource backed up by AWS Backup (`resourceArn`), restored by a drill with `metadata`. */
export function drillResource(
  resourceArn: string,
  metadata: Record<string, string>,
  vaultArn = 'arn:aws:backup:eu-central-1:111122223333:backup-vault:dr-vault',
): ProtectedResource {
  return {
    app: 'case',
    name: 'files',
    rpoSeconds: 3600,
    dependsOn: [],
    recoveryRegion: 'eu-central-1',
    source: {
      kind: 'aws-backup',
      resourceArn,
      vaultArn,
      restore: { iamRoleArn: 'arn:aws:iam::111122223333:role/standby-restore', metadata },
    },
  };
}

/** The same resource without restore metadata (restores not configured). */
export function withoutRestore(resource: ProtectedResource): ProtectedResource {
  if (resource.source.kind !== 'aws-backup') return resource;
  const { restore: _, ...source } = resource.source;
  return { ...resource, source };
}

/** Parses an ARN a test writes out, failing loudly on a typo. */
export function arn(text: string): Arn {
  const parsed = parseArn(text);
  if (!parsed) throw new Error(`not an ARN: ${text}`);
  return parsed;
}

/** An official example (`input`, `response`) of `test/fixtures/aws/<name>.example.json`. */
export function example<T = Record<string, unknown>>(
  name: string,
): { input: Record<string, unknown>; response: T } {
  return JSON.parse(
    readFileSync(resolve(import.meta.dirname, `../../fixtures/aws/${name}.example.json`), 'utf8'),
  ) as { input: Record<string, unknown>; response: T };
}

/** An SDK error as a client throws it: `name` is the service's error code. */
export function sdkError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: {} });
}
