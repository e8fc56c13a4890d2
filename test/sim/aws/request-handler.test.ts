import { BackupClient, ListRecoveryPointsByBackupVaultCommand } from '@aws-sdk/client-backup';
import { HttpRequest } from '@smithy/protocol-http';
import { describe, expect, it } from 'vitest';
import {
  awsTargetOf,
  createSimulatedAwsClientConfig,
  createSimulatedAwsHandler,
} from '#sim/aws/request-handler.ts';
import { SimulatedCloud } from '#sim/cloud.ts';
import { parseWorld } from '#sim/world.ts';

const emptyCloud = () => new SimulatedCloud(parseWorld('world.yaml', '{ clock: 2026-11-21T12:00:00Z }'));
const bodyOf = (body: unknown) => Buffer.from(body as Uint8Array).toString('utf8');

describe('awsTargetOf', () => {
  it.each([
    ['backup.eu-central-1.amazonaws.com', {}, { service: 'backup', region: 'eu-central-1' }],
    ['route53.amazonaws.com', {}, { service: 'route53', region: 'us-east-1' }],
    [
      'host-abc.route53-recovery-cluster.eu-west-1.amazonaws.com',
      {},
      { service: 'route53-recovery-cluster', region: 'eu-west-1' },
    ],
    ['backup.cn-north-1.amazonaws.com.cn', {}, { service: 'backup', region: 'cn-north-1' }],
    [
      'localhost',
      {
        authorization:
          'AWS4-HMAC-SHA256 Credential=SIMULATED/20261121/eu-west-1/sns/aws4_request, SignedHeaders=host, Signature=x',
      },
      { service: 'sns', region: 'eu-west-1' },
    ],
    ['localhost', {}, undefined],
  ])('reads %s (headers %o) as %o', (hostname, headers, target) => {
    expect(awsTargetOf(new HttpRequest({ hostname, headers }))).toEqual(target);
  });
});

describe('createSimulatedAwsHandler', () => {
  it('answers a service it does not simulate in that service protocol', async () => {
    const handler = createSimulatedAwsHandler(emptyCloud());
    const json = await handler.handle(
      new HttpRequest({ hostname: 'nosuch.eu-west-1.amazonaws.com', path: '/' }),
    );
    const xml = await handler.handle(
      new HttpRequest({ hostname: 'monitoring.eu-west-1.amazonaws.com', path: '/' }),
    );

    expect(json.response.statusCode).toBe(404);
    expect(json.response.headers['x-amzn-errortype']).toBe('UnknownOperationException');
    expect(JSON.parse(bodyOf(json.response.body))).toMatchObject({
      message: expect.stringContaining('"nosuch"'),
    });
    expect(bodyOf(xml.response.body)).toContain('<Code>UnknownOperationException</Code>');
  });

  it('serves a real SDK client built from createSimulatedAwsClientConfig, with SDK retries off', async () => {
    const cloud = new SimulatedCloud(
      parseWorld(
        'world.yaml',
        JSON.stringify({
          aws: {
            backupVaults: [{ BackupVaultArn: 'arn:aws:backup:eu-central-1:111122223333:backup-vault:v' }],
          },
          faults: [{ api: 'backup:ListRecoveryPointsByBackupVault', error: 'ServiceUnavailableException' }],
        }),
      ),
    );
    const client = new BackupClient(createSimulatedAwsClientConfig(cloud, 'eu-central-1'));

    await expect(
      client.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'v' })),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableException',
      $metadata: { httpStatusCode: 503, attempts: 1 },
    });
    expect(cloud.stats()).toEqual({ 'backup:ListRecoveryPointsByBackupVault': 1 });
  });
});
