import { describe, expect, it } from 'vitest';
import { InvalidWorldError } from '#shared/domain/errors.ts';
import { simulatedOperations } from '#sim/operations.ts';
import { parseWorld, resolveTime } from '#sim/world.ts';

const CLOCK = new Date('2026-11-21T12:00:00Z');
const EPOCH = CLOCK.getTime() / 1000;
const fixedNow = () => new Date('2030-01-01T00:00:00Z');

function problemsOf(text: string): { line: number; path: string; message: string }[] {
  try {
    parseWorld('world.yaml', text, fixedNow);
  } catch (error) {
    if (!(error instanceof InvalidWorldError)) throw error;
    return error.problems.map(({ line, path, message }) => ({ line, path, message }));
  }
  throw new Error('expected the world to be rejected');
}

describe('resolveTime', () => {
  it.each([
    { value: '-8m', expected: new Date(CLOCK.getTime() - 480_000) },
    { value: '+1h', expected: new Date(CLOCK.getTime() + 3_600_000) },
    { value: '-2d', expected: new Date(CLOCK.getTime() - 172_800_000) },
    { value: '-90s', expected: new Date(CLOCK.getTime() - 90_000) },
    { value: EPOCH - 60, expected: new Date(CLOCK.getTime() - 60_000) },
    { value: '2026-11-21T11:52:00Z', expected: new Date('2026-11-21T11:52:00Z') },
    { value: '2026-11-21T13:52:00+02:00', expected: new Date('2026-11-21T11:52:00Z') },
    { value: '2026-11-21T11:52:00.123Z', expected: new Date('2026-11-21T11:52:00.123Z') },
  ])('resolves $value against the clock', ({ value, expected }) => {
    expect(resolveTime(value, CLOCK)).toEqual(expected);
  });

  it.each(['8m', '-8', '-8w', 'yesterday', '2026-11-21', '2026-13-45T99:00:00Z', '', null, true])(
    'gives undefined for %s',
    (value) => {
      expect(resolveTime(value, CLOCK)).toBeUndefined();
    },
  );
});

describe('parseWorld', () => {
  const world = `clock: 2026-11-21T12:00:00Z
aws:
  recoveryPoints:
    - RecoveryPointArn: arn:aws:backup:eu-central-1:111122223333:recovery-point:rp-1
      BackupVaultArn: arn:aws:backup:eu-central-1:111122223333:backup-vault:dr-vault
      Status: COMPLETED
      CreationDate: -8m
      CompletionDate: ${EPOCH - 300}
      CalculatedLifecycle:
        DeleteAt: 2026-12-21T12:00:00Z
      BackupSizeInBytes: 1024
  backupJobs:
    - BackupJobId: job-1
      State: FAILED
      CompletionDate: '+0s'
azure:
  recoveryPoints:
    - id: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.DataProtection/backupVaults/v/backupInstances/bi/recoveryPoints/rp-9
      properties:
        objectType: AzureBackupDiscreteRecoveryPoint
        recoveryPointTime: -1h
        expiryTime: ${EPOCH + 86_400}
        recoveryPointDataStoresDetails:
          - creationTime: 2026-11-21T10:00:00Z
            state: Committed
`;

  it('resolves AWS times to epoch seconds, as the AWS wire carries them', () => {
    const w = parseWorld('world.yaml', world, fixedNow);
    const [rp] = w.aws.recoveryPoints;
    expect(rp).toMatchObject({
      CreationDate: EPOCH - 480,
      CompletionDate: EPOCH - 300,
      CalculatedLifecycle: { DeleteAt: new Date('2026-12-21T12:00:00Z').getTime() / 1000 },
      BackupSizeInBytes: 1024,
      Status: 'COMPLETED',
    });
    expect(w.aws.backupJobs[0]).toMatchObject({ CompletionDate: EPOCH, State: 'FAILED' });
  });

  it('resolves Azure times to ISO-8601 strings, nested ones included', () => {
    const w = parseWorld('world.yaml', world, fixedNow);
    expect(w.azure.recoveryPoints[0]).toMatchObject({
      properties: {
        objectType: 'AzureBackupDiscreteRecoveryPoint',
        recoveryPointTime: '2026-11-21T11:00:00.000Z',
        expiryTime: '2026-11-22T12:00:00.000Z',
        recoveryPointDataStoresDetails: [{ creationTime: '2026-11-21T10:00:00.000Z', state: 'Committed' }],
      },
    });
  });

  it('takes the clock from the file', () => {
    expect(parseWorld('world.yaml', world, fixedNow).clock).toEqual(CLOCK);
  });

  it.each([
    { clock: '2026-11-21T12:00:00Z', expected: CLOCK },
    { clock: String(EPOCH), expected: CLOCK },
    { clock: '-1h', expected: new Date(fixedNow().getTime() - 3_600_000) },
  ])('reads clock "$clock"', ({ clock, expected }) => {
    expect(parseWorld('world.yaml', `clock: ${clock}\n`, fixedNow).clock).toEqual(expected);
  });

  it('uses the time now when the file has no clock, and resolves relative times against it', () => {
    const w = parseWorld('world.yaml', 'aws:\n  recoveryPoints:\n    - CreationDate: -1m\n', fixedNow);
    expect(w.clock).toEqual(fixedNow());
    expect(w.aws.recoveryPoints[0]?.['CreationDate']).toBe(fixedNow().getTime() / 1000 - 60);
  });

  it('fills defaults for an empty world', () => {
    const w = parseWorld('world.yaml', '', fixedNow);
    expect(w.aws.recoveryPoints).toEqual([]);
    expect(w.aws.restore).toEqual({ durationSeconds: 600, fail: [], instanceSeconds: 300 });
    expect(w.aws.restoreMetadata).toEqual([]);
    expect(w.aws.dbInstances).toEqual([]);
    expect(w.azure.restore).toEqual({ durationSeconds: 900, fail: [] });
    expect(w.faults).toEqual([]);
    expect(w.limits).toEqual({});
    expect(w.http).toEqual({});
  });

  it.each([
    { text: '', aws: 600, azure: 900 },
    { text: 'aws:\n  backupJobs: []\nazure:\n  jobs: []\n', aws: 600, azure: 900 },
    { text: 'azure:\n  restore: { fail: [x] }\n', aws: 600, azure: 900 },
    { text: 'aws:\n  restore: { durationSeconds: 30 }\n', aws: 30, azure: 900 },
  ])(
    'gives restores the same default duration whether or not the cloud block is written ($text)',
    ({ text, aws, azure }) => {
      const w = parseWorld('world.yaml', text, fixedNow);
      expect(w.aws.restore.durationSeconds).toBe(aws);
      expect(w.azure.restore.durationSeconds).toBe(azure);
    },
  );

  it('reads faults, limits and http answers', () => {
    const w = parseWorld(
      'world.yaml',
      `faults:
  - { api: "backup:StartRestoreJob", error: ThrottlingException, times: 2 }
limits:
  "backup:ListRecoveryPointsByBackupVault": { tps: 20, latencyMs: 40 }
http:
  "https://case-api.dr.example.com/internal/health": { status: 200 }
`,
      fixedNow,
    );
    expect(w.faults).toEqual([{ api: 'backup:StartRestoreJob', error: 'ThrottlingException', times: 2 }]);
    expect(w.limits['backup:ListRecoveryPointsByBackupVault']).toEqual({ tps: 20, latencyMs: 40 });
    expect(w.http['https://case-api.dr.example.com/internal/health']).toEqual({ status: 200 });
  });

  it('reads a JSON world', () => {
    const text = JSON.stringify({
      clock: '2026-11-21T12:00:00Z',
      aws: { recoveryPoints: [{ CreationDate: '-8m' }] },
    });
    expect(parseWorld('world.json', text, fixedNow).aws.recoveryPoints[0]).toEqual({
      CreationDate: EPOCH - 480,
    });
  });

  it('rejects a time that is not one, naming the line and field', () => {
    const text = `clock: 2026-11-21T12:00:00Z
aws:
  recoveryPoints:
    - RecoveryPointArn: rp-1
      CreationDate: -8m
    - RecoveryPointArn: rp-2
      CreationDate: last tuesday
`;
    const problems = problemsOf(text);
    expect(problems).toEqual([
      {
        line: 7,
        path: 'aws.recoveryPoints[1].CreationDate',
        message: expect.stringContaining('"last tuesday" is not a time'),
      },
    ]);
  });

  it('rejects a clock that is not a time', () => {
    expect(problemsOf('# the world\nclock: soon\n')).toEqual([
      { line: 2, path: 'clock', message: expect.stringContaining('expected an ISO-8601 time') },
    ]);
  });

  it.each([
    { text: 'clock: 2026-11-21T12:00:00Z\nweather: sunny\n', line: 2, path: 'weather' },
    {
      text: 'clock: 2026-11-21T12:00:00Z\naws:\n  recoveryPoints: []\n  lambdas: []\n',
      line: 4,
      path: 'aws.lambdas',
    },
  ])('rejects the unknown key $path at its line', ({ text, line, path }) => {
    expect(problemsOf(text)).toEqual([{ line, path, message: expect.stringMatching(/unrecognized key/i) }]);
  });

  it('rejects a fault api that is not service:Operation', () => {
    expect(problemsOf('faults:\n  - { api: StartRestoreJob, error: ThrottlingException }\n')).toEqual([
      { line: 2, path: 'faults[0].api', message: expect.stringContaining('expected service:Operation') },
    ]);
  });

  it.each([
    {
      text: 'faults:\n  - { api: "backup:StartRestorJob", error: ThrottlingException }\n',
      line: 2,
      path: 'faults[0].api',
      nearest: 'backup:StartRestoreJob',
    },
    {
      text: 'limits:\n  "dataprotection:backupvaults_get": { tps: 1 }\n',
      line: 2,
      path: 'limits.dataprotection:backupvaults_get',
      nearest: 'dataprotection:BackupVaults_Get',
    },
  ])(
    'rejects $path naming an operation the simulation never serves, with the nearest names',
    ({ text, line, path, nearest }) => {
      expect(problemsOf(text)).toEqual([
        {
          line,
          path,
          message: expect.stringMatching(
            new RegExp(`not an operation the simulated cloud serves; nearest: ${nearest}`),
          ),
        },
      ]);
    },
  );

  it('reports an unknown operation together with the schema problems of the same world', () => {
    const problems = problemsOf('weather: sunny\nfaults:\n  - { api: "sns:Publsh", error: X }\n');
    expect(problems.map((p) => p.path)).toEqual(['weather', 'faults[0].api']);
  });

  it.each([...simulatedOperations()])('accepts a fault on %s, an operation the simulation serves', (api) => {
    const world = parseWorld(
      'world.yaml',
      `faults:\n  - { api: "${api}", error: ThrottlingException }\n`,
      fixedNow,
    );
    expect(world.faults[0]?.api).toBe(api);
  });

  it('reports a YAML syntax error with its line', () => {
    const problems = problemsOf('clock: 2026-11-21T12:00:00Z\naws: [unclosed\n');
    expect(problems[0]?.line).toBeGreaterThanOrEqual(2);
  });
});

describe('parseWorld of a JSON file', () => {
  it('names the line and column of a JSON syntax error', () => {
    const text = '{\n  "clock": "2026-11-21T12:00:00Z",\n  "aws": { "recoveryPoints": [ } ]\n}\n';
    expect(() => parseWorld('world.json', text, fixedNow)).toThrow(InvalidWorldError);
    try {
      parseWorld('world.json', text, fixedNow);
    } catch (error) {
      expect((error as InvalidWorldError).problems).toEqual([
        expect.objectContaining({
          file: 'world.json',
          line: 3,
          message: expect.stringContaining('not valid JSON'),
        }),
      ]);
    }
  });

  it('names the line of a field the schema refuses, found only once there is a problem', () => {
    const text = JSON.stringify(
      { clock: '2026-11-21T12:00:00Z', aws: { recoveryPoints: [{}, 'rp-2'] } },
      null,
      2,
    );
    try {
      parseWorld('world.json', text, fixedNow);
      throw new Error('expected the world to be rejected');
    } catch (error) {
      expect((error as InvalidWorldError).problems).toEqual([
        expect.objectContaining({
          line: 6,
          path: 'aws.recoveryPoints[1]',
          message: 'expected an object (a record in its API shape)',
        }),
      ]);
    }
  });

  it('reads the same world from JSON as from YAML', () => {
    const yaml = `clock: 2026-11-21T12:00:00Z
aws:
  recoveryPoints:
    - { RecoveryPointArn: rp-1, CreationDate: -8m, CalculatedLifecycle: { DeleteAt: +30d } }
  route53: { hostedZones: [{ Id: Z1, Name: example.com. }] }
azure:
  recoveryPoints:
    - { id: rp-9, properties: { recoveryPointTime: -1h } }
`;
    const json = JSON.stringify({
      clock: '2026-11-21T12:00:00Z',
      aws: {
        recoveryPoints: [
          { RecoveryPointArn: 'rp-1', CreationDate: '-8m', CalculatedLifecycle: { DeleteAt: '+30d' } },
        ],
        route53: { hostedZones: [{ Id: 'Z1', Name: 'example.com.' }] },
      },
      azure: { recoveryPoints: [{ id: 'rp-9', properties: { recoveryPointTime: '-1h' } }] },
    });
    expect(parseWorld('world.json', json, fixedNow)).toEqual(parseWorld('world.yaml', yaml, fixedNow));
  });

  it('gives each world its own lists, never the shared defaults', () => {
    const a = parseWorld('a.json', '{}', fixedNow);
    const b = parseWorld('b.json', '{}', fixedNow);
    a.aws.restoreJobs.push({ RestoreJobId: 'r-1' });
    a.aws.route53.resourceRecordSets.push({ Name: 'x' });
    expect(b.aws.restoreJobs).toEqual([]);
    expect(b.aws.route53.resourceRecordSets).toEqual([]);
    expect(parseWorld('c.json', '{}', fixedNow).aws.restoreJobs).toEqual([]);
  });
});
