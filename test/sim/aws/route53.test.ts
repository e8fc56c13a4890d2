import {
  type Change,
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { describe, expect, it } from 'vitest';
import { createSimulatedAwsClientConfig } from '#sim/aws/request-handler.ts';
import { SimulatedCloud } from '#sim/cloud.ts';
import { parseWorld } from '#sim/world.ts';

const ZONE = 'Z0123456789ABC';
const OTHER_ZONE = 'Z9999999999XYZ';
const record = (name: string, extra: Partial<ResourceRecordSet> = {}): ResourceRecordSet => ({
  Name: name,
  Type: 'CNAME',
  TTL: 60,
  ResourceRecords: [{ Value: 'target.example.net' }],
  ...extra,
});
const weighted = (id: string, weight: number) =>
  record('app.example.com.', { SetIdentifier: id, Weight: weight });

function setup(records: ResourceRecordSet[] = [weighted('primary', 100), weighted('recovery', 0)]) {
  const cloud = new SimulatedCloud(
    parseWorld(
      'world.json',
      JSON.stringify({
        clock: '2026-11-21T12:00:00Z',
        aws: {
          route53: {
            hostedZones: [
              { Id: ZONE, Name: 'example.com.' },
              { Id: OTHER_ZONE, Name: 'example.org.' },
            ],
            resourceRecordSets: [...records, record('www.example.org.')],
          },
        },
      }),
    ),
  );
  const route53 = new Route53Client(createSimulatedAwsClientConfig(cloud, 'us-east-1'));
  const change = (...changes: Change[]) =>
    route53.send(
      new ChangeResourceRecordSetsCommand({ HostedZoneId: ZONE, ChangeBatch: { Changes: changes } }),
    );
  const list = async (
    input: Partial<{
      StartRecordName: string;
      StartRecordType: 'CNAME' | 'A';
      StartRecordIdentifier: string;
      MaxItems: number;
    }> = {},
  ) => route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: `/hostedzone/${ZONE}`, ...input }));
  return { cloud, change, list };
}

describe('simulated Route 53', () => {
  it('lists a zone in Route 53 order (reversed labels, type, identifier) and leaves other zones out', async () => {
    const { list } = setup([
      record('b.example.com.'),
      record('a.example.com.', { Type: 'A', ResourceRecords: [{ Value: '192.0.2.1' }] }),
      record('example.com.', { Type: 'A', ResourceRecords: [{ Value: '192.0.2.2' }] }),
      weighted('recovery', 0),
      weighted('primary', 100),
    ]);

    const { ResourceRecordSets, IsTruncated } = await list();

    expect(ResourceRecordSets?.map((r) => [r.Name, r.Type, r.SetIdentifier])).toEqual([
      ['example.com.', 'A', undefined],
      ['a.example.com.', 'A', undefined],
      ['app.example.com.', 'CNAME', 'primary'],
      ['app.example.com.', 'CNAME', 'recovery'],
      ['b.example.com.', 'CNAME', undefined],
    ]);
    expect(IsTruncated).toBe(false);
  });

  it('starts at StartRecordName/Type and pages with the next record identifier', async () => {
    const { list } = setup([
      weighted('blue', 0),
      weighted('green', 0),
      weighted('primary', 100),
      record('b.example.com.'),
    ]);

    const first = await list({ StartRecordName: 'app.example.com.', StartRecordType: 'CNAME', MaxItems: 2 });
    const second = await list({
      StartRecordName: first.NextRecordName!,
      StartRecordType: 'CNAME',
      StartRecordIdentifier: first.NextRecordIdentifier!,
      MaxItems: 2,
    });

    expect(first.ResourceRecordSets?.map((r) => r.SetIdentifier)).toEqual(['blue', 'green']);
    expect(first).toMatchObject({
      IsTruncated: true,
      NextRecordName: 'app.example.com.',
      NextRecordIdentifier: 'primary',
    });
    expect(second.ResourceRecordSets?.map((r) => r.SetIdentifier ?? r.Name)).toEqual([
      'primary',
      'b.example.com.',
    ]);
    expect(second.IsTruncated).toBe(false);
  });

  it('applies a batch of UPSERTs as one change and answers a pending ChangeInfo', async () => {
    const { change, list, cloud } = setup();

    const { ChangeInfo } = await change(
      { Action: 'UPSERT', ResourceRecordSet: weighted('recovery', 100) },
      { Action: 'UPSERT', ResourceRecordSet: weighted('primary', 0) },
    );

    expect(ChangeInfo).toMatchObject({ Status: 'PENDING', SubmittedAt: new Date('2026-11-21T12:00:00Z') });
    expect((await list()).ResourceRecordSets?.map((r) => [r.SetIdentifier, r.Weight])).toEqual([
      ['primary', 0],
      ['recovery', 100],
    ]);
    expect(cloud.stats()).toEqual({
      'route53:ChangeResourceRecordSets': 1,
      'route53:ListResourceRecordSets': 1,
    });
  });

  it.each<[string, Change[], RegExp]>([
    [
      'a DELETE of a missing record',
      [
        { Action: 'UPSERT', ResourceRecordSet: weighted('primary', 0) },
        { Action: 'DELETE', ResourceRecordSet: weighted('green', 0) },
      ],
      /Tried to delete resource record set \[name='app.example.com.', type='CNAME', set-identifier='green'\] but it was not found/,
    ],
    [
      'a DELETE whose values differ from the record',
      [{ Action: 'DELETE', ResourceRecordSet: weighted('primary', 50) }],
      /but the values provided do not match the current values/,
    ],
    [
      'a CREATE of an existing record',
      [{ Action: 'CREATE', ResourceRecordSet: weighted('primary', 100) }],
      /Tried to create resource record set .* but it already exists/,
    ],
    [
      'the same DELETE twice',
      [
        { Action: 'DELETE', ResourceRecordSet: weighted('primary', 100) },
        { Action: 'DELETE', ResourceRecordSet: weighted('primary', 100) },
      ],
      /but it was not found/,
    ],
    [
      'a name outside the zone',
      [{ Action: 'CREATE', ResourceRecordSet: record('www.example.org.') }],
      /not permitted in zone example.com./,
    ],
    [
      'a weight above 255',
      [{ Action: 'UPSERT', ResourceRecordSet: weighted('primary', 256) }],
      /expected an integer from 0 to 255/,
    ],
    [
      'two PRIMARY failover records',
      [
        {
          Action: 'CREATE',
          ResourceRecordSet: record('f.example.com.', { SetIdentifier: 'a', Failover: 'PRIMARY' }),
        },
        {
          Action: 'CREATE',
          ResourceRecordSet: record('f.example.com.', { SetIdentifier: 'b', Failover: 'PRIMARY' }),
        },
      ],
      /more than one PRIMARY failover record set/,
    ],
    [
      'a simple record beside weighted ones',
      [{ Action: 'CREATE', ResourceRecordSet: record('app.example.com.') }],
      /mix routing policies/,
    ],
  ])('rejects the whole batch with InvalidChangeBatch for %s', async (_, changes, message) => {
    const { change, cloud } = setup();
    const before = structuredClone(cloud.world.aws.route53.resourceRecordSets);

    const error = await change(...changes).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'InvalidChangeBatch', $metadata: { httpStatusCode: 400 } });
    expect((error as Error).message).toMatch(message);
    expect(cloud.world.aws.route53.resourceRecordSets).toEqual(before);
  });

  it('accepts DELETE then CREATE of the same record in one batch', async () => {
    const { change, list } = setup();

    await change(
      { Action: 'DELETE', ResourceRecordSet: weighted('primary', 100) },
      { Action: 'CREATE', ResourceRecordSet: weighted('primary', 7) },
    );

    expect((await list()).ResourceRecordSets?.find((r) => r.SetIdentifier === 'primary')?.Weight).toBe(7);
  });

  it('answers NoSuchHostedZone for a zone the world does not have', async () => {
    const { cloud } = setup();
    const route53 = new Route53Client(createSimulatedAwsClientConfig(cloud, 'us-east-1'));

    await expect(
      route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: 'ZNOPE' })),
    ).rejects.toMatchObject({
      name: 'NoSuchHostedZone',
    });
  });
});
