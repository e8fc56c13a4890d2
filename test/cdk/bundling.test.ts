import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLEANUP_FUNCTIONS } from '#functions/cleanup/groups.ts';
import { type BundleResult, bundleFunction, functionEntries } from '../../cdk/bundling.ts';

const root = resolve(import.meta.dirname, '../..');
const MIB = 1024 * 1024;

/** The bundle's input files, relative to the project root. */
const inputsOf = (r: BundleResult) => Object.values(r.metafile.outputs).flatMap((o) => Object.keys(o.inputs));
const clientsOf = (r: BundleResult) =>
  [...new Set(inputsOf(r).flatMap((p) => /@aws-sdk\/(client-[a-z0-9-]+)\//.exec(p)?.[1] ?? []))].sort();

describe('Lambda bundles (cdk/bundling.ts)', () => {
  const out = mkdtempSync(join(tmpdir(), 'standby-bundles-'));
  const bundles = new Map<string, BundleResult>();
  beforeAll(() => {
    for (const { name, entry } of functionEntries(root))
      bundles.set(name, bundleFunction(entry, join(out, name)));
  }, 120_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('bundles every handler of functions/handlers, and nothing else there', () => {
    expect([...bundles.keys()]).toEqual(
      expect.arrayContaining(['advance', 'audit', 'events', ...Object.keys(CLEANUP_FUNCTIONS)]),
    );
    expect([...bundles.keys()]).not.toContain('cleanup-handler');
    expect([...bundles.keys()]).not.toContain('middleware');
  });

  it('keeps each bundle under 1 MiB', () => {
    for (const [name, b] of bundles) expect(b.bytes, `${name} is ${b.bytes} bytes`).toBeLessThan(MIB);
  });

  it('gives the audit only the clients it calls (DynamoDB: its evidence records)', () => {
    expect(clientsOf(bundles.get('audit')!)).toEqual([
      'client-backup',
      'client-dynamodb',
      'client-eventbridge',
      'client-sns',
      'client-sts',
    ]);
  });

  it.each(Object.entries(CLEANUP_FUNCTIONS))(
    'gives the clean-up function %s the clients of its services only',
    (name, services) => {
      // The package of each ARN service: `client-<service>`, but EFS's.
      const client: Record<string, string> = { elasticfilesystem: 'client-efs' };
      expect(clientsOf(bundles.get(name)!)).toEqual(services.map((s) => client[s] ?? `client-${s}`).sort());
    },
  );

  it('gives the controller functions the Lambda client (to invoke the clean-up) and no delete-only client', () => {
    for (const name of ['advance', 'events']) {
      expect(clientsOf(bundles.get(name)!)).toContain('client-lambda');
      expect(clientsOf(bundles.get(name)!)).not.toContain('client-ec2');
    }
  });

  it('carries no zod locale but the English default, no YAML parser and no credential chain beyond the environment', () => {
    for (const [, b] of bundles) {
      const inputs = inputsOf(b);
      expect(inputs.filter((p) => p.includes('zod/v4/locales/') && !p.endsWith('/en.js'))).toEqual([]);
      expect(inputs.filter((p) => p.includes('node_modules/yaml/'))).toEqual([]);
      expect(
        inputs.filter((p) => /credential-provider-(node|ini|sso|process|web-identity)\//.test(p)),
      ).toEqual([]);
    }
  });

  it('writes the source map beside the bundle, without sources', () => {
    const { file, metafile } = bundles.get('events')!;
    expect(Object.keys(metafile.outputs).some((o) => o.endsWith('index.mjs.map'))).toBe(true);
    expect(file.endsWith('index.mjs')).toBe(true);
  });
});

describe('functionEntries', () => {
  it('finds a new handler file by its exported handler, and passes over helpers', () => {
    const project = mkdtempSync(join(tmpdir(), 'standby-entries-'));
    const handlers = join(project, 'functions/handlers');
    mkdirSync(handlers, { recursive: true });
    writeFileSync(join(handlers, 'approval.ts'), 'export const handler = async () => ({});\n');
    writeFileSync(join(handlers, 'page.ts'), 'export function render() { return ""; }\n');
    writeFileSync(join(handlers, 'other.ts'), 'export async function handler() {}\n');
    try {
      expect(functionEntries(project).map((e) => e.name)).toEqual(['approval', 'other']);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
