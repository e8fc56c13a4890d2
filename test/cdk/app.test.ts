import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

describe('cdk/app.ts through the CDK CLI', () => {
  const out = mkdtempSync(join(tmpdir(), 'standby-cdk-out-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('synthesizes the examples with no flags (cdk.json context), offline: controller, forwarders and member', () => {
    const run = spawnSync(
      process.execPath,
      [join(root, 'node_modules/aws-cdk/bin/cdk'), 'synth', '--quiet', '--no-notices', '-o', out],
      {
        cwd: root,
        encoding: 'utf8',
        env: {
          PATH: process.env['PATH'] ?? '',
          HOME: process.env['HOME'] ?? tmpdir(),
          CDK_DISABLE_CLI_TELEMETRY: 'true',
        },
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
      artifacts: Record<string, { type: string; environment?: string }>;
    };
    const stacks = Object.entries(manifest.artifacts)
      .filter(([, a]) => a.type === 'aws:cloudformation:stack')
      .map(([name, a]) => `${name} ${a.environment}`)
      .sort();
    expect(stacks).toEqual([
      'Standby-Forwarder-111122223333-eu-west-1 aws://111122223333/eu-west-1',
      'Standby-Forwarder-444455556666-eu-central-1 aws://444455556666/eu-central-1',
      'Standby-Forwarder-444455556666-eu-west-1 aws://444455556666/eu-west-1',
      'Standby-Member-444455556666 aws://444455556666/eu-central-1',
      'Standby-eu-central-1 aws://111122223333/eu-central-1',
    ]);
  }, 300_000);
});
