/**
 * Cold start of each Lambda handler: the entry bundled by esbuild with the one configuration the CDK
 * deploys (`cdk/bundling.ts`: ESM, node22, minified, names kept, SDK bundled),
 * its size, and the time a fresh Node process takes to import it (module scope only: the composition
 * root builds its clients on the first invocation). The baseline is a bundle of one SDK client alone
 * (`@aws-sdk/client-backup`, which every handler needs), built and imported the same way.
 */
import { spawn } from 'node:child_process';
import { mkdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleFunction, functionEntries } from '../cdk/bundling.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Settings the handlers read at import; dummy values, nothing is called. */
const LAMBDA_ENV = {
  AWS_REGION: 'eu-central-1',
  STANDBY_PLANS_PATH: join(ROOT, 'examples/plans'),
  STATE_TABLE: 'standby-state',
  APPROVAL_KEY_SECRET_ARN: 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:standby-approval-key',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/** One bundle's figures. */
export interface BundleFigures {
  readonly entry: string;
  readonly bytes: number;
  /** Median import time over the runs, in ms. */
  readonly importMs: number;
}

/** Bundles `entry` with the deployed settings (cdk/bundling.ts) into `outdir/<name>/index.mjs`. */
async function bundle(entry: string, outdir: string, name: string): Promise<string> {
  return bundleFunction(entry, join(outdir, name)).file;
}

/** The import time of `file` in a fresh process, as that process measures it. */
function importTime(file: string): Promise<number> {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - t));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, ...LAMBDA_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(Number(out)) : reject(new Error(`importing ${file} exited ${code}: ${err}`)),
    );
  });
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Bundles and imports every handler entry and the one-client baseline, `runs` imports each. */
export async function coldStart(
  runs: number,
): Promise<{ baseline: BundleFigures; handlers: BundleFigures[] }> {
  const outdir = join(tmpdir(), `standby-bench-bundles-${process.pid}`);
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const measure = async (entry: string, name: string): Promise<BundleFigures> => {
    const file = await bundle(entry, outdir, name);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(await importTime(file));
    return { entry, bytes: (await stat(file)).size, importMs: median(times) };
  };
  const baseline = await measure(join(ROOT, 'bench/baseline-entry.ts'), 'baseline');
  const handlers: BundleFigures[] = [];
  for (const { name, entry } of functionEntries(ROOT)) handlers.push(await measure(entry, name));
  await rm(outdir, { recursive: true, force: true });
  return {
    baseline: { ...baseline, entry: '@aws-sdk/client-backup alone' },
    handlers: handlers.map((h) => ({ ...h, entry: `functions/handlers/${basename(h.entry)}` })),
  };
}
