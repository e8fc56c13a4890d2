import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProgressLine } from '#cli/progress.ts';
import { runCli } from './run-cli.ts';

/** A plan with `n` resources, none of which has a point in the example world. */
function planWith(n: number): string {
  const resources = Array.from(
    { length: n },
    (_, i) => `    - name: table-${i}
      awsBackup:
        resourceArn: arn:aws:dynamodb:eu-west-1:111122223333:table/t${i}
        vaultArn: arn:aws:backup:eu-central-1:111122223333:backup-vault:dr-vault`,
  );
  return `apiVersion: standby/v1
kind: RecoveryPlan
metadata: { name: many-tables }
spec:
  objectives: { rpo: 1h, rto: 4h }
  primary: { cloud: aws, region: eu-west-1 }
  recovery: { cloud: aws, region: eu-central-1 }
  failover: { mode: manual }
  resources:
${resources.join('\n')}
`;
}

describe('audit progress on stderr', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'standby-progress-'));
    await writeFile(join(dir, 'twenty.yaml'), planWith(20));
    await writeFile(join(dir, 'nineteen.yaml'), planWith(19).replace('many-tables', 'fewer-tables'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const audit = (file: string, stderrIsTTY: boolean) =>
    runCli(['audit', '--plan', join(dir, file), '--world', 'examples/world.yaml', '--json'], {
      stdout: false,
      stderr: stderrIsTTY,
    });

  it('shows a progress line for 20 resources when stderr is a terminal, and keeps stdout pure JSON', async () => {
    const run = await audit('twenty.yaml', true);
    expect(run.stderr).toContain('reading recovery points: 0/20 resources');
    expect(run.stderr).toContain('reading recovery points: 20/20 resources');
    expect(run.stderr.endsWith('\r\x1b[2K')).toBe(true);
    expect(JSON.parse(run.stdout).summary.missing).toBe(20);
  });

  it.each([
    { file: 'twenty.yaml', tty: false },
    { file: 'nineteen.yaml', tty: true },
  ])('shows nothing for $file when stderr is a terminal: $tty', async ({ file, tty }) => {
    expect((await audit(file, tty)).stderr).toBe('');
  });
});

describe('ProgressLine', () => {
  it('never counts past the total and erases itself', () => {
    let out = '';
    const line = new ProgressLine({ write: (t: string) => (out += t) }, 3);
    line.start();
    line.advance(2);
    line.advance(5);
    line.finish();
    expect(out.split('\r\x1b[2K').filter(Boolean)).toEqual([
      'reading recovery points: 0/3 resources',
      'reading recovery points: 2/3 resources',
      'reading recovery points: 3/3 resources',
    ]);
    expect(out.endsWith('\r\x1b[2K')).toBe(true);
  });
});
