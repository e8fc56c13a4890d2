import { describe, it } from 'vitest';
import { normalizeEvents } from '#shared/domain/events.ts';
import { scheduleCases } from './cases.ts';
import { documented, expectNormalized } from './fixtures.ts';

describe('scheduled event decoder', () => {
  it.each(scheduleCases.documented)('normalises the documented variant %s', (file, expected) => {
    expectNormalized(normalizeEvents(documented(file)), expected);
  });
});
