import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStateStore } from '#cli/adapters/file-state-store.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { describeStateStoreContract } from '../../contracts/state-store.contract.ts';

describeStateStoreContract('FileStateStore', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'standby-state-'));
  return { store: new FileStateStore({ dir }), close: () => rm(dir, { recursive: true, force: true }) };
});

describe('FileStateStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'standby-state-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps state across store instances, as a later CLI command needs', async () => {
    await new FileStateStore({ dir }).create(
      { partition: 'case-management', sort: 'failover' },
      { phase: 'restoring' },
    );
    const later = new FileStateStore({ dir });
    expect(await later.get({ partition: 'case-management', sort: 'failover' })).toMatchObject({
      value: { phase: 'restoring' },
      version: 1,
    });
  });

  it('writes one readable JSON file per partition and leaves no temporary files behind', async () => {
    const store = new FileStateStore({ dir });
    await store.create({ partition: 'case-management', sort: 'a' }, { n: 1 });
    await store.update({ partition: 'case-management', sort: 'a' }, { n: 2 }, 1);
    await store.create({ partition: 'lease/case-management', sort: 'lease' }, { n: 1 });
    const files = (await readdir(dir)).sort();
    expect(files).toHaveLength(2);
    expect(files.every((f) => /^[a-z0-9_-]+\.[0-9a-f]{12}\.json$/.test(f))).toBe(true);
    const content = JSON.parse(await readFile(join(dir, files.find((f) => f.startsWith('case'))!), 'utf8'));
    expect(content).toEqual({ partition: 'case-management', items: { a: { value: { n: 2 }, version: 2 } } });
  });

  it('names the file when a state file is not valid JSON', async () => {
    const store = new FileStateStore({ dir });
    await store.create({ partition: 'p', sort: 'a' }, {});
    const [file] = await readdir(dir);
    await writeFile(join(dir, file!), '{ not json');
    const read = store.get({ partition: 'p', sort: 'a' });
    await expect(read).rejects.toBeInstanceOf(InvalidInputError);
    await expect(read).rejects.toThrow(file!);
  });
});
