/**
 * The one esbuild configuration of every Lambda bundle, used by `npm run bundle`
 * (`scripts/bundle.ts`), by the CDK's `StandbyFunction` (its local bundling calls {@link bundleFunction})
 * and by the bench, so what is measured is what is deployed.
 *
 * - One minified ESM file per function (`<name>/index.mjs`), Node 22, the pinned SDK bundled.
 * - ESM entry points of packages (`module` before `main`), so tree shaking drops what a function does
 *   not call: the audit's bundle has no restore, Route 53 or Secrets Manager client, and zod's
 *   locales other than the English default (`zod` re-exports them as a namespace nobody reads) go.
 * - The source map is written next to the bundle (`index.mjs.map`, no sources inlined) and referenced
 *   by a comment; nothing enables it at import (no `--enable-source-maps`), which would parse it on
 *   every cold start. Map a logged stack trace with it offline (docs/deploy-aws.md).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, buildSync, type Metafile } from 'esbuild';

/** Where the Lambda handlers are, relative to the project root. */
export const HANDLERS_DIRECTORY = 'functions/handlers';

/** The file name of every bundle (the Lambda handler is `index.handler`). */
export const BUNDLE_FILE = 'index.mjs';

/** Some bundled CommonJS dependencies call require(); an ESM bundle gets one from node:module. */
const REQUIRE_BANNER =
  "import { createRequire as __standbyRequire } from 'node:module'; const require = __standbyRequire(import.meta.url);";

/** The env-only credential chain every bundle uses instead of the SDK's node chain. */
const LAMBDA_CREDENTIALS = fileURLToPath(new URL('../functions/lambda-credentials.ts', import.meta.url));

/** A Lambda function of the project: a module of functions/handlers that exports `handler`. */
export interface FunctionEntry {
  /** The bundle's name: the handler file's base name (`audit`, `events`, …). */
  readonly name: string;
  /** The handler file, absolute. */
  readonly entry: string;
}

/**
 * Every Lambda handler in `functions/handlers/`: each `.ts` module there that exports a `handler`
 * (middleware and helpers do not), by name. A new handler file is bundled without being listed.
 */
export function functionEntries(projectRoot: string): FunctionEntry[] {
  const dir = join(projectRoot, HANDLERS_DIRECTORY);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && statSync(join(dir, f)).isFile())
    .filter((f) =>
      /^export (const|async function|function) handler\b/m.test(readFileSync(join(dir, f), 'utf8')),
    )
    .sort()
    .map((f) => ({ name: basename(f, '.ts'), entry: join(dir, f) }));
}

/** The esbuild options of one function's bundle. */
export function esbuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    minify: true,
    // Error names (ProviderError, ConflictError) stay readable in logs: errors name themselves after their class.
    keepNames: true,
    legalComments: 'none',
    sourcemap: 'linked',
    sourcesContent: false,
    // Bundle the pinned SDK instead of the runtime's: the code runs with the versions it was tested with.
    external: [],
    // In Lambda the credentials are in the environment: the SDK's chain stops there (functions/lambda-credentials.ts).
    alias: { '@aws-sdk/credential-provider-node': LAMBDA_CREDENTIALS },
    banner: { js: REQUIRE_BANNER },
    metafile: true,
    logLevel: 'warning',
  };
}

/** What one bundle came to. */
export interface BundleResult {
  readonly file: string;
  readonly bytes: number;
  readonly metafile: Metafile;
}

/** Bundles `entry` into `outdir/index.mjs` (+ `.map`), synchronously (the CDK's local bundling is). */
export function bundleFunction(entry: string, outdir: string): BundleResult {
  const file = join(outdir, BUNDLE_FILE);
  const result = buildSync(esbuildOptions(entry, file));
  return { file, bytes: statSync(file).size, metafile: result.metafile! };
}
