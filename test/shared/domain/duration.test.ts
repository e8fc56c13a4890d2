import { describe, expect, it } from 'vitest';
import { formatAge, formatDuration, parseDuration } from '#shared/domain/duration.ts';

describe('parseDuration', () => {
  it.each([
    { text: '90s', seconds: 90 },
    { text: '1s', seconds: 1 },
    { text: '15m', seconds: 900 },
    { text: '1h', seconds: 3600 },
    { text: '2d', seconds: 172_800 },
    { text: '120m', seconds: 7200 },
    { text: ' 5m ', seconds: 300 },
  ])('reads "$text" as $seconds seconds', ({ text, seconds }) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', '15', 'm', '0s', '05m', '-5m', '1.5h', '15M', '15 m', '1w', '1h30m', 'fifteen', 'PT15M'])(
    'rejects "%s"',
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );
});

describe('formatDuration', () => {
  it.each([
    { seconds: 0, text: '0s' },
    { seconds: 45, text: '45s' },
    { seconds: 90, text: '90s' },
    { seconds: 300, text: '5m' },
    { seconds: 3600, text: '1h' },
    { seconds: 5400, text: '90m' },
    { seconds: 86_400, text: '1d' },
    { seconds: 90_000, text: '25h' },
  ])('renders $seconds s as $text, in the largest unit that divides it', ({ seconds, text }) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it.each(['90s', '15m', '1h', '2d'])('round-trips %s through parseDuration', (text) => {
    expect(formatDuration(parseDuration(text)!)).toBe(text);
  });
});

describe('formatAge', () => {
  it.each([
    { seconds: -5, text: '0s' },
    { seconds: 0, text: '0s' },
    { seconds: 59.9, text: '59s' },
    { seconds: 60, text: '1m 0s' },
    { seconds: 260, text: '4m 20s' },
    { seconds: 3599, text: '59m 59s' },
    { seconds: 3600, text: '1h 0m' },
    { seconds: 7500, text: '2h 5m' },
    { seconds: 86_400, text: '1d 0h' },
    { seconds: 262_800, text: '3d 1h' },
  ])('renders $seconds s as "$text"', ({ seconds, text }) => {
    expect(formatAge(seconds)).toBe(text);
  });
});
