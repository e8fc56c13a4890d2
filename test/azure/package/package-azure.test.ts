import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PackageManifest, packageAzure } from '../../../scripts/package-azure.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);

interface Listed {
  programmingModel: string | null;
  functions: { name: string; bindings: Record<string, unknown>[] }[];
}

let out: string;
let manifest: PackageManifest;
beforeAll(async () => {
  out = join(await mkdtemp(join(tmpdir(), 'standby-azure-package-')), 'azure');
  manifest = await packageAzure({ plans: [join(ROOT, 'examples/plans')], outDir: out });
}, 60_000);
afterAll(async () => {
  await rm(resolve(out, '..'), { recursive: true, force: true });
});

describe('npm run package:azure', () => {
  it('builds host.json, a package.json with main and no dependencies, one bundle and the plans', async () => {
    expect((await readdir(out)).sort()).toEqual([
      'host.json',
      'index.js',
      'index.js.map',
      'package.json',
      'plans',
      'standby-package.json',
    ]);
    const pkg = JSON.parse(await readFile(join(out, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ type: 'module', main: 'index.js' });
    expect(pkg.dependencies).toBeUndefined();
    expect(pkg.devDependencies).toBeUndefined();
    expect(JSON.parse(await readFile(join(out, 'host.json'), 'utf8'))).toMatchObject({ version: '2.0' });
    expect((await readdir(join(out, 'plans'))).sort()).toEqual(
      (await readdir(join(ROOT, 'examples/plans'))).sort(),
    );
    expect(manifest).toEqual({
      main: 'index.js',
      region: 'northeurope',
      plans: ['case-management', 'citizen-portal', 'payments'],
      ownPlans: ['citizen-portal'],
      auditSchedule: '0 */15 * * * *', // citizen-portal's smallest RPO is 8h: at most 15 minutes
    });
  });

  it('loads on plain Node (no tsx) and registers every function of azure/functions', async () => {
    const { stdout } = await run(process.execPath, [join(import.meta.dirname, 'list-functions.mjs'), out], {
      env: { PATH: process.env['PATH'] ?? '' }, // no NODE_OPTIONS: no loader, no Azure settings
      timeout: 30_000,
    });
    const listed = JSON.parse(stdout) as Listed;
    const modules = (await readdir(join(ROOT, 'azure/functions'))).map((f) => f.replace(/\.ts$/, ''));
    expect(listed.programmingModel).toBe('@azure/functions');
    expect(listed.functions.map((f) => f.name).sort()).toEqual(modules.sort());
    const byName = Object.fromEntries(listed.functions.map((f) => [f.name, f.bindings[0]]));
    expect(byName).toMatchObject({
      events: { type: 'httpTrigger', authLevel: 'function', methods: ['POST'] },
      audit: { type: 'timerTrigger', schedule: '%STANDBY_AUDIT_SCHEDULE%' },
      advance: { type: 'timerTrigger', schedule: '0 */1 * * * *' },
      approval: { type: 'httpTrigger', authLevel: 'anonymous', methods: ['GET', 'HEAD', 'POST'] },
    });
  });

  it('refuses a region into which no plan recovers', async () => {
    await expect(
      packageAzure({
        plans: [join(ROOT, 'examples/plans')],
        region: 'westeurope',
        outDir: join(out, '..', 'x'),
      }),
    ).rejects.toThrow('no plan recovers on Azure in westeurope (Azure recovery regions: northeurope)');
  });
});
