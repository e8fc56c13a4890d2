/**
 * `npm run package:azure -- [--plans PATH] [--region REGION] [--out DIR]`: builds the deployable
 * Function App folder (default `dist/azure/`):
 *
 * - `index.js`      every function and every runtime dependency in one ESM bundle (esbuild), with its
 *                   source map; `@azure/functions-core` stays external — the Functions worker provides it;
 * - `package.json`  `type: module`, `main: index.js`, no dependencies (all bundled), no dev dependencies;
 * - `host.json`     Functions runtime 2.0 schema, Application Insights sampling that keeps every request;
 * - `plans/`        the plan files, read by the app from `STANDBY_PLANS_PATH` (default: this folder);
 * - `standby-package.json` what was packaged: the plans, the region's own plans and the audit schedule
 *                   to set as `STANDBY_AUDIT_SCHEDULE` (the template generator sets it from the same plans).
 *
 * Run with tsx; the output runs on plain Node.
 */
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { auditSchedule } from '#azure/audit-schedule.ts';
import { loadPlanSet, planFiles } from '#platform/plan-files.ts';
import { normalizeRegion } from '#shared/domain/freshness.ts';

const ROOT = resolve(import.meta.dirname, '..');

/** What {@link packageAzure} is asked to build. */
export interface PackageOptions {
  /** Plan files or directories to deploy with the app. */
  readonly plans: readonly string[];
  /** The recovery region the app is deployed to; default: every Azure recovery region of the plans must be the same. */
  readonly region?: string;
  readonly outDir: string;
}

/** What was built. */
export interface PackageManifest {
  readonly main: 'index.js';
  readonly region: string;
  readonly plans: readonly string[];
  readonly ownPlans: readonly string[];
  readonly auditSchedule: string;
}

/** The Functions host configuration of the package. */
export const HOST_JSON = {
  version: '2.0',
  // Every function invocation is kept (requests are not sampled): the controller's own alert rules
  // count audit runs and failures from them.
  logging: { applicationInsights: { samplingSettings: { isEnabled: true, excludedTypes: 'Request' } } },
  functionTimeout: '00:10:00',
} as const;

/** Builds the package; refuses plans of which none recovers on Azure in the region. */
export async function packageAzure(options: PackageOptions): Promise<PackageManifest> {
  const files = await planFiles(options.plans, 'plan path');
  const plans = await loadPlanSet(files);
  const azureRegions = [
    ...new Set(
      plans.filter((p) => p.recovery.cloud === 'azure').map((p) => normalizeRegion(p.recovery.region)),
    ),
  ];
  const region = options.region
    ? normalizeRegion(options.region)
    : azureRegions.length === 1
      ? azureRegions[0]
      : undefined;
  if (!region)
    throw new Error(
      `--region is needed: the plans recover on Azure in ${azureRegions.length ? azureRegions.join(', ') : 'no region'}; one package serves one recovery region`,
    );
  const own = plans.filter(
    (p) => p.recovery.cloud === 'azure' && normalizeRegion(p.recovery.region) === region,
  );
  if (own.length === 0)
    throw new Error(
      `no plan recovers on Azure in ${region} (Azure recovery regions: ${azureRegions.join(', ') || 'none'})`,
    );

  const out = resolve(options.outDir);
  await rm(out, { recursive: true, force: true });
  await mkdir(join(out, 'plans'), { recursive: true });
  await build({
    entryPoints: [join(ROOT, 'azure/index.ts')],
    outfile: join(out, 'index.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    external: ['@azure/functions-core'],
    // Bundled CommonJS calls `require`; in an ES module it has to be made.
    banner: {
      js: "import { createRequire as __standbyRequire } from 'node:module'; const require = __standbyRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  const names = files.map((f) => basename(f));
  if (new Set(names).size !== names.length)
    throw new Error(`plan file names must be unique to be packaged: ${names.join(', ')}`);
  for (const f of files) await copyFile(f, join(out, 'plans', basename(f)));
  const manifest: PackageManifest = {
    main: 'index.js',
    region,
    plans: plans.map((p) => p.name),
    ownPlans: own.map((p) => p.name),
    auditSchedule: auditSchedule(own),
  };
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  await writeFile(
    join(out, 'package.json'),
    json({
      name: 'standby-azure',
      version: '0.1.0',
      private: true,
      type: 'module',
      main: 'index.js',
      engines: { node: '>=20' },
    }),
  );
  await writeFile(join(out, 'host.json'), json(HOST_JSON));
  await writeFile(join(out, 'standby-package.json'), json(manifest));
  return manifest;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const { values } = parseArgs({
    options: {
      plans: { type: 'string', multiple: true },
      region: { type: 'string' },
      out: { type: 'string', default: 'dist/azure' },
    },
  });
  const plans = values.plans ?? [process.env['STANDBY_PLAN'] ?? 'plans'];
  try {
    const manifest = await packageAzure({
      plans,
      outDir: values.out,
      ...(values.region ? { region: values.region } : {}),
    });
    process.stdout.write(
      `packaged ${manifest.ownPlans.length} plan(s) recovering in ${manifest.region} into ${values.out}; set STANDBY_AUDIT_SCHEDULE=${manifest.auditSchedule}\n`,
    );
  } catch (error) {
    process.stderr.write(`package:azure: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
