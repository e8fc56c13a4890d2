import { describe, expect, it } from 'vitest';
import { builtOnce } from '#platform/lazy.ts';

describe('builtOnce', () => {
  it('builds on first use and hands the same value to every later call', async () => {
    let builds = 0;
    const get = builtOnce(async () => ({ n: ++builds }));
    const [a, b] = await Promise.all([get(), get()]);
    expect(a).toBe(b);
    expect(await get()).toBe(a);
    expect(builds).toBe(1);
  });

  it('forgets a failed build so the next call tries again', async () => {
    let builds = 0;
    const get = builtOnce(async () => {
      builds += 1;
      if (builds === 1) throw new Error('throttled');
      return 'ready';
    });
    await expect(get()).rejects.toThrow('throttled');
    expect(await get()).toBe('ready');
    expect(builds).toBe(2);
  });
});
