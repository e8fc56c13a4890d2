/**
 * Loading the event fixtures, and the checks every decoder's test shares. Recorded payloads are under
 * `test/fixtures/aws|azure/`, variants built from the documentation under `test/fixtures/events/`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { NormalizedEvent, NormalizeResult } from '#shared/domain/events.ts';

const fixturesRoot = path.resolve(import.meta.dirname, '../../../fixtures');
/** Where the fixtures built from the documentation live (each has an `_about` saying so). */
export const documentedDir = path.join(fixturesRoot, 'events');

const load = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));
/** A recorded payload (as the provider documents or sends it), by `aws/...` or `azure/...` name. */
export const recorded = (name: string): unknown => load(path.join(fixturesRoot, name));
/** A payload built from the documented shape, by file name in `test/fixtures/events/`. */
export const documented = (name: string): unknown => load(path.join(documentedDir, name));

/** `result` as an accepted event; fails the test, showing it, when it is not one. */
export function accepted(result: NormalizeResult | undefined): NormalizedEvent {
  if (!result?.accepted) throw new Error(`expected an accepted event, got ${JSON.stringify(result)}`);
  return result;
}

/** Checks that there is one result per expectation, each accepted and containing it. */
export function expectNormalized(results: NormalizeResult[], expected: Record<string, unknown>[]): void {
  expect(results).toHaveLength(expected.length);
  expected.forEach((e, i) => {
    expect(results[i]).toMatchObject({ accepted: true, ...e });
  });
}
