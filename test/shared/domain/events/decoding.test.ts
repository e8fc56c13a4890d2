import { describe, expect, it } from 'vitest';
import { parseTime } from '#shared/domain/events.ts';

describe('parseTime', () => {
  it.each([
    ['2019-10-02T17:04:40Z', '2019-10-02T17:04:40.000Z'],
    ['2019-10-02T17:04:40.989+0000', '2019-10-02T17:04:40.989Z'],
    ['2019-03-22T13:58:24.3713213Z', '2019-03-22T13:58:24.371Z'],
    ['2026-11-21T10:00:00.5+02:00', '2026-11-21T08:00:00.500Z'],
  ])('reads %s', (text, iso) => {
    expect(parseTime(text)?.toISOString()).toBe(iso);
  });

  it.each(['', 'yesterday', '2019-13-45T99:00:00Z', '1571936400', `2019-10-02T17:04:40Z${' '.repeat(100)}`])(
    'refuses %j',
    (text) => {
      expect(parseTime(text)).toBeUndefined();
    },
  );
});
