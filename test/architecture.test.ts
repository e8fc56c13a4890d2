/**
 * The arrow points inward (STYLE.md): `shared/` is the pure core and imports no cloud SDK, framework
 * or I/O module, nor anything outside `shared/`; the AWS side (`functions/`) and the Azure side
 * (`azure/`) never import each other. Imports are read with TypeScript's own pre-processor, so
 * multi-line, type-only, side-effect and dynamic imports are all seen.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Every `.ts` file under `dir` (relative to the repository root); none when the folder is absent. */
function tsFiles(dir: string): string[] {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(join(ROOT, dir), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : tsFiles(path);
    return e.isFile() && e.name.endsWith('.ts') ? [path] : [];
  });
}

/** The module specifiers a source text imports (static, type-only, re-exports, `import()`, `require`). */
function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** Packages and modules the core must never depend on: cloud SDKs, frameworks, I/O, logging. */
const FORBIDDEN_IN_SHARED = [
  /^@aws-sdk\//,
  /^@smithy\//,
  /^@azure\//,
  /^@azure-rest\//,
  /^@middy\//,
  /^aws-lambda$/,
  /^aws-cdk-lib(\/|$)/,
  /^constructs$/,
  /^(node:)?fs(\/|$)/,
  /^(node:)?https?$/,
  /^(node:)?net$/,
  /^pino(\/|$)/,
];
/** What the core may import from outside itself. */
const ALLOWED_IN_SHARED = new Set(['zod', 'yaml', 'node:crypto']);
const OTHER_TOP_FOLDERS = [
  'platform',
  'functions',
  'azure',
  'cli',
  'sim',
  'cdk',
  'test',
  'scripts',
  'bench',
  'bin',
];

/** Why `specifier`, imported by the shared file `file`, breaks the rule; `undefined` when it is fine. */
function sharedImportProblem(file: string, specifier: string): string | undefined {
  if (specifier.startsWith('.')) {
    const target = relative(ROOT, resolve(ROOT, dirname(file), specifier));
    return target.startsWith(`shared${sep}`) ? undefined : `reaches outside shared/ (${target})`;
  }
  if (specifier.startsWith('#shared/')) return undefined;
  if (specifier.startsWith('#')) return 'imports another top folder through a package import';
  if (FORBIDDEN_IN_SHARED.some((re) => re.test(specifier))) return 'is a cloud SDK, framework or I/O module';
  if (ALLOWED_IN_SHARED.has(specifier)) return undefined;
  return `is not one of the modules the core may use (${[...ALLOWED_IN_SHARED].join(', ')})`;
}

/** Why `specifier`, imported from `file` on one cloud's side, reaches the other side. */
function crossCloudProblem(
  file: string,
  specifier: string,
  other: 'functions' | 'azure',
): string | undefined {
  if (specifier === `#${other}` || specifier.startsWith(`#${other}/`)) return `imports #${other}/`;
  if (specifier.startsWith('.')) {
    const target = relative(ROOT, resolve(ROOT, dirname(file), specifier));
    if (target === other || target.startsWith(`${other}${sep}`)) return `reaches into ${other}/ (${target})`;
  }
  return undefined;
}

/** Why `specifier`, imported by a platform/ file, reaches beyond shared/ and platform/ (no cloud, no driver). */
function platformImportProblem(file: string, specifier: string): string | undefined {
  if (/^(@aws-sdk|@azure|@azure-rest|@middy)\//.test(specifier)) return 'is a cloud SDK or framework';
  if (specifier.startsWith('#'))
    return /^#(shared|platform)\//.test(specifier) ? undefined : 'imports a driving side';
  if (specifier.startsWith('.')) {
    const target = relative(ROOT, resolve(ROOT, dirname(file), specifier));
    return target.startsWith(`platform${sep}`) ? undefined : `reaches outside platform/ (${target})`;
  }
  return undefined;
}

function violations(dir: string, problem: (file: string, specifier: string) => string | undefined): string[] {
  return tsFiles(dir).flatMap((file) =>
    importsOf(readFileSync(join(ROOT, file), 'utf8')).flatMap((specifier) => {
      const why = problem(file, specifier);
      return why ? [`${file} imports "${specifier}": ${why}`] : [];
    }),
  );
}

describe('architecture', () => {
  it('finds the core source files to check', () => {
    expect(tsFiles('shared')).toEqual(expect.arrayContaining([join('shared', 'domain', 'plan.ts')]));
  });

  it('keeps shared/ free of cloud SDKs, frameworks, I/O and other top folders', () => {
    expect(violations('shared', sharedImportProblem)).toEqual([]);
  });

  it('keeps the AWS side (functions/) from importing the Azure side', () => {
    expect(violations('functions', (f, s) => crossCloudProblem(f, s, 'azure'))).toEqual([]);
  });

  it('keeps the Azure side (azure/) from importing the AWS side', () => {
    expect(violations('azure', (f, s) => crossCloudProblem(f, s, 'functions'))).toEqual([]);
  });

  it('keeps platform/ free of cloud SDKs and of the driving sides that use it', () => {
    expect(tsFiles('platform').length).toBeGreaterThan(0);
    expect(violations('platform', platformImportProblem)).toEqual([]);
  });
});

describe('platformImportProblem', () => {
  it.each([
    { specifier: '#shared/domain/plan.ts', ok: true },
    { specifier: 'node:fs/promises', ok: true },
    { specifier: '#functions/composition.ts', ok: false },
    { specifier: '@aws-sdk/client-backup', ok: false },
    { specifier: '../cli/main.ts', ok: false },
  ])('judges $specifier: ok=$ok', ({ specifier, ok }) => {
    expect(platformImportProblem('platform/plan-files.ts', specifier) === undefined).toBe(ok);
  });
});

describe('importsOf', () => {
  it('sees multi-line, type-only, side-effect, re-exported and dynamic imports', () => {
    const text = [
      "import {\n  BackupClient,\n  ListRecoveryPointsByBackupVaultCommand,\n} from '@aws-sdk/client-backup';",
      "import type { Context } from 'aws-lambda';",
      "import 'pino';",
      "export { x } from './x.ts';",
      "const m = await import('node:fs/promises');",
      "// import nothing from 'commented-out' in a comment",
    ].join('\n');
    expect(importsOf(text)).toEqual([
      '@aws-sdk/client-backup',
      'aws-lambda',
      'pino',
      './x.ts',
      'node:fs/promises',
    ]);
  });
});

describe('sharedImportProblem', () => {
  const file = join('shared', 'domain', 'plan.ts');
  it.each([
    { specifier: './duration.ts', ok: true },
    { specifier: '../ports/clock.ts', ok: true },
    { specifier: '#shared/domain/errors.ts', ok: true },
    { specifier: 'zod', ok: true },
    { specifier: 'yaml', ok: true },
    { specifier: 'node:crypto', ok: true },
    { specifier: '@aws-sdk/client-backup', ok: false },
    { specifier: '@azure/identity', ok: false },
    { specifier: '@azure-rest/core-client', ok: false },
    { specifier: '@middy/core', ok: false },
    { specifier: 'aws-lambda', ok: false },
    { specifier: 'aws-cdk-lib', ok: false },
    { specifier: 'aws-cdk-lib/aws-lambda', ok: false },
    { specifier: 'constructs', ok: false },
    { specifier: 'node:fs', ok: false },
    { specifier: 'node:fs/promises', ok: false },
    { specifier: 'fs', ok: false },
    { specifier: 'node:http', ok: false },
    { specifier: 'node:https', ok: false },
    { specifier: 'node:net', ok: false },
    { specifier: 'pino', ok: false },
    { specifier: 'bottleneck', ok: false },
    { specifier: '../../functions/adapters/aws-backup.ts', ok: false },
    { specifier: '../../sim/world.ts', ok: false },
    { specifier: '#functions/composition.ts', ok: false },
    { specifier: '#azure/composition.ts', ok: false },
    { specifier: '#cli/main.ts', ok: false },
    { specifier: '#sim/world.ts', ok: false },
  ])('says ok=$ok for "$specifier"', ({ specifier, ok }) => {
    expect(sharedImportProblem(file, specifier) === undefined).toBe(ok);
  });

  it('knows every other top folder is outside shared/', () => {
    for (const top of OTHER_TOP_FOLDERS)
      expect(sharedImportProblem(file, `../../${top}/x.ts`)).toMatch(/reaches outside shared/);
  });
});

describe('crossCloudProblem', () => {
  it.each([
    { file: 'functions/handlers/audit.ts', specifier: '#azure/adapters/x.ts', other: 'azure', ok: false },
    {
      file: 'functions/handlers/audit.ts',
      specifier: '../../azure/adapters/x.ts',
      other: 'azure',
      ok: false,
    },
    { file: 'functions/handlers/audit.ts', specifier: '#shared/domain/plan.ts', other: 'azure', ok: true },
    { file: 'functions/handlers/audit.ts', specifier: '@azure/identity', other: 'azure', ok: true },
    {
      file: 'azure/functions/audit.ts',
      specifier: '#functions/composition.ts',
      other: 'functions',
      ok: false,
    },
    { file: 'azure/functions/audit.ts', specifier: '../../functions/x.ts', other: 'functions', ok: false },
    // azure/functions/ is the Azure side's own folder, not the AWS side.
    { file: 'azure/adapters/x.ts', specifier: '../functions/audit.ts', other: 'functions', ok: true },
  ] as const)('says ok=$ok for $file importing "$specifier"', ({ file, specifier, other, ok }) => {
    expect(crossCloudProblem(file, specifier, other) === undefined).toBe(ok);
  });
});
