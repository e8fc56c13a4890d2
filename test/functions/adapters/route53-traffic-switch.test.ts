import {
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
  Route53Client,
} from '@aws-sdk/client-route-53';
import {
  GetRoutingControlStateCommand,
  Route53RecoveryClusterClient,
  UpdateRoutingControlStatesCommand,
} from '@aws-sdk/client-route53-recovery-cluster';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Route53TrafficSwitch } from '#functions/adapters/route53-traffic-switch.ts';
import { ConflictError, ErrorCode, InvalidInputError } from '#shared/domain/errors.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { createSimulatedAwsClientConfig } from '#sim/aws/request-handler.ts';
import { SimulatedCloud } from '#sim/cloud.ts';
import { parseWorld } from '#sim/world.ts';
import { awsPlanDoc, azurePlanDoc, loadPlan, withPlan } from '../../support/plans.ts';

const ZONE = 'Z0123456789ABC';
const NAME = 'case.example.com.';
const ARC_PRIMARY = 'arn:aws:route53-recovery-control::111122223333:controlpanel/abc/routingcontrol/primary1';
const ARC_RECOVERY =
  'arn:aws:route53-recovery-control::111122223333:controlpanel/abc/routingcontrol/recovery1';
const ENDPOINTS = [
  { endpoint: 'https://host-aaa.route53-recovery-cluster.us-east-1.amazonaws.com/v1', region: 'us-east-1' },
  { endpoint: 'https://host-bbb.route53-recovery-cluster.eu-west-1.amazonaws.com/v1', region: 'eu-west-1' },
  {
    endpoint: 'https://host-ccc.route53-recovery-cluster.ap-southeast-2.amazonaws.com/v1',
    region: 'ap-southeast-2',
  },
];

const weighted = (id: string, weight: number, target: string): ResourceRecordSet => ({
  Name: NAME,
  Type: 'CNAME',
  SetIdentifier: id,
  Weight: weight,
  TTL: 60,
  ResourceRecords: [{ Value: target }],
});
const failover = (
  id: string,
  role: 'PRIMARY' | 'SECONDARY',
  target: string,
  healthCheck: string,
): ResourceRecordSet => ({
  Name: NAME,
  Type: 'CNAME',
  SetIdentifier: id,
  Failover: role,
  TTL: 60,
  ResourceRecords: [{ Value: target }],
  HealthCheckId: healthCheck,
});

const weightedPlan = loadPlan();
const failoverPlan = loadPlan(
  withPlan(awsPlanDoc(), (d) => {
    (d.spec['routing'] as { route53: { strategy: string } }).route53.strategy = 'failover';
  }),
);
const arcPlan = loadPlan(
  withPlan(awsPlanDoc(), (d) => {
    d.spec['routing'] = {
      route53: {
        hostedZoneId: ZONE,
        recordName: NAME,
        recordType: 'CNAME',
        strategy: 'arc',
        arc: {
          routingControlArns: { primary: ARC_PRIMARY, recovery: ARC_RECOVERY },
          clusterEndpoints: ENDPOINTS,
        },
      },
    };
  }),
);

const named = (name: string, message = name) => Object.assign(new Error(message), { name });

describe('Route53TrafficSwitch (mocked clients)', () => {
  const route53 = mockClient(Route53Client);
  const arc = mockClient(Route53RecoveryClusterClient);
  afterAll(() => {
    route53.restore();
    arc.restore();
  });
  afterEach(() => {
    route53.reset();
    arc.reset();
  });
  const endpointsUsed: string[] = [];
  const traffic = () =>
    new Route53TrafficSwitch({
      route53: new Route53Client({ region: 'us-east-1' }),
      arcClientFor: (endpoint, region) => {
        const client = new Route53RecoveryClusterClient({ endpoint, region });
        // Each call of the mock records which endpoint's client made it.
        const send = client.send.bind(client);
        client.send = ((command: never) => {
          endpointsUsed.push(endpoint);
          return send(command);
        }) as typeof client.send;
        return client;
      },
      retry: { retries: 2, minTimeoutMs: 1 },
    });

  it.each<[string, number, number, string]>([
    ['primary', 100, 0, 'primary'],
    ['recovery', 0, 100, 'recovery'],
    ['unknown (both on)', 50, 50, 'unknown'],
    ['unknown (both off)', 0, 0, 'unknown'],
  ])('reads the weighted active site as %s', async (_, primary, recovery, expected) => {
    route53.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [
        weighted('primary', primary, 'a.example.net'),
        weighted('recovery', recovery, 'b.example.net'),
      ],
      IsTruncated: false,
      MaxItems: 300,
    });

    expect(await traffic().activeSite(weightedPlan)).toBe(expected);
    expect(route53).toHaveReceivedCommandWith(ListResourceRecordSetsCommand, {
      HostedZoneId: ZONE,
      StartRecordName: NAME,
      StartRecordType: 'CNAME',
    });
  });

  it('flips weighted records in one compare-and-set ChangeBatch: exact DELETEs of both as read, then CREATEs', async () => {
    route53.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [
        weighted('primary', 100, 'a.example.net'),
        weighted('recovery', 0, 'b.example.net'),
      ],
      IsTruncated: false,
      MaxItems: 300,
    });
    route53.on(ChangeResourceRecordSetsCommand).resolves({
      ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() },
    });

    await traffic().switchTo(weightedPlan, 'recovery');

    expect(route53).toHaveReceivedCommandTimes(ChangeResourceRecordSetsCommand, 1);
    const batch = route53.commandCalls(ChangeResourceRecordSetsCommand)[0]!.args[0].input;
    expect(batch.HostedZoneId).toBe(ZONE);
    expect(batch.ChangeBatch?.Changes).toEqual([
      { Action: 'DELETE', ResourceRecordSet: weighted('recovery', 0, 'b.example.net') },
      { Action: 'DELETE', ResourceRecordSet: weighted('primary', 100, 'a.example.net') },
      { Action: 'CREATE', ResourceRecordSet: weighted('recovery', 100, 'b.example.net') },
      { Action: 'CREATE', ResourceRecordSet: weighted('primary', 0, 'a.example.net') },
    ]);
  });

  it('keeps the existing non-zero weight of the target in a mixed state', async () => {
    route53.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [
        weighted('primary', 30, 'a.example.net'),
        weighted('recovery', 70, 'b.example.net'),
      ],
      IsTruncated: false,
      MaxItems: 300,
    });
    route53.on(ChangeResourceRecordSetsCommand).resolves({
      ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() },
    });

    await traffic().switchTo(weightedPlan, 'recovery');

    const changes = route53.commandCalls(ChangeResourceRecordSetsCommand)[0]!.args[0].input.ChangeBatch
      ?.Changes;
    expect(
      changes?.map((c) => [c.Action, c.ResourceRecordSet?.SetIdentifier, c.ResourceRecordSet?.Weight]),
    ).toEqual([
      ['DELETE', 'recovery', 70],
      ['DELETE', 'primary', 30],
      ['CREATE', 'recovery', 70],
      ['CREATE', 'primary', 0],
    ]);
  });

  it.each([
    ['weighted', weightedPlan, [weighted('primary', 0, 'a'), weighted('recovery', 100, 'b')]],
    [
      'failover',
      failoverPlan,
      [failover('primary', 'SECONDARY', 'a', 'hc-a'), failover('recovery', 'PRIMARY', 'b', 'hc-b')],
    ],
  ])('makes no change call when %s routing already sends traffic to the site', async (_, plan, records) => {
    route53
      .on(ListResourceRecordSetsCommand)
      .resolves({ ResourceRecordSets: records, IsTruncated: false, MaxItems: 300 });

    await traffic().switchTo(plan, 'recovery');

    expect(route53).toHaveReceivedCommandTimes(ChangeResourceRecordSetsCommand, 0);
  });

  it('follows record pages of the same name and type', async () => {
    route53
      .on(ListResourceRecordSetsCommand)
      .resolvesOnce({
        ResourceRecordSets: [weighted('blue', 0, 'x')],
        IsTruncated: true,
        NextRecordName: NAME,
        NextRecordType: 'CNAME',
        NextRecordIdentifier: 'primary',
        MaxItems: 1,
      })
      .resolvesOnce({
        ResourceRecordSets: [weighted('primary', 100, 'a'), weighted('recovery', 0, 'b')],
        IsTruncated: false,
        MaxItems: 2,
      });

    expect(await traffic().activeSite(weightedPlan)).toBe('primary');
    expect(route53).toHaveReceivedNthCommandWith(ListResourceRecordSetsCommand, 2, {
      StartRecordIdentifier: 'primary',
    });
  });

  it('swaps failover roles in one batch that deletes and recreates both records exactly', async () => {
    const primary = failover('primary', 'PRIMARY', 'a.example.net', 'hc-a');
    const recovery = failover('recovery', 'SECONDARY', 'b.example.net', 'hc-b');
    route53
      .on(ListResourceRecordSetsCommand)
      .resolves({ ResourceRecordSets: [primary, recovery], IsTruncated: false, MaxItems: 300 });
    route53.on(ChangeResourceRecordSetsCommand).resolves({
      ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() },
    });

    await traffic().switchTo(failoverPlan, 'recovery');

    expect(
      route53.commandCalls(ChangeResourceRecordSetsCommand)[0]!.args[0].input.ChangeBatch?.Changes,
    ).toEqual([
      { Action: 'DELETE', ResourceRecordSet: primary },
      { Action: 'DELETE', ResourceRecordSet: recovery },
      { Action: 'CREATE', ResourceRecordSet: { ...recovery, Failover: 'PRIMARY' } },
      { Action: 'CREATE', ResourceRecordSet: { ...primary, Failover: 'SECONDARY' } },
    ]);
  });

  it('reports a rejected change batch as a conflict', async () => {
    route53.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [
        failover('primary', 'PRIMARY', 'a', 'hc-a'),
        failover('recovery', 'SECONDARY', 'b', 'hc-b'),
      ],
      IsTruncated: false,
      MaxItems: 300,
    });
    route53.on(ChangeResourceRecordSetsCommand).rejects(named('InvalidChangeBatch', 'values do not match'));

    await expect(traffic().switchTo(failoverPlan, 'recovery')).rejects.toBeInstanceOf(ConflictError);
  });

  it('retries a change while the zone has a prior request in progress', async () => {
    route53.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [weighted('primary', 100, 'a'), weighted('recovery', 0, 'b')],
      IsTruncated: false,
      MaxItems: 300,
    });
    route53
      .on(ChangeResourceRecordSetsCommand)
      .rejectsOnce(named('PriorRequestNotComplete'))
      .resolves({ ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() } });

    await traffic().switchTo(weightedPlan, 'recovery');

    expect(route53).toHaveReceivedCommandTimes(ChangeResourceRecordSetsCommand, 2);
  });

  it('retries a throttled record listing, then switches', async () => {
    route53
      .on(ListResourceRecordSetsCommand)
      .rejectsOnce(named('Throttling', 'Rate exceeded'))
      .resolves({
        ResourceRecordSets: [weighted('primary', 100, 'a'), weighted('recovery', 0, 'b')],
        IsTruncated: false,
        MaxItems: 300,
      });
    route53
      .on(ChangeResourceRecordSetsCommand)
      .resolves({ ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() } });

    await traffic().switchTo(weightedPlan, 'recovery');

    expect(route53).toHaveReceivedCommandTimes(ListResourceRecordSetsCommand, 2);
    expect(route53).toHaveReceivedCommandTimes(ChangeResourceRecordSetsCommand, 1);
  });

  it('reads unknown when a set identifier of the plan is missing, and refuses to switch', async () => {
    route53.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [weighted('primary', 100, 'a')],
      IsTruncated: false,
      MaxItems: 300,
    });

    expect(await traffic().activeSite(weightedPlan)).toBe('unknown');
    await expect(traffic().switchTo(weightedPlan, 'recovery')).rejects.toMatchObject({
      code: ErrorCode.NotFound,
      message: expect.stringContaining('no weighted record set "recovery"'),
    });
  });

  it('refuses a plan that routes with Azure', async () => {
    const plan: RecoveryPlan = loadPlan(azurePlanDoc());
    await expect(traffic().switchTo(plan, 'recovery')).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('turns the recovery control On and the primary Off in one ARC call', async () => {
    arc
      .on(GetRoutingControlStateCommand, { RoutingControlArn: ARC_PRIMARY })
      .resolves({ RoutingControlArn: ARC_PRIMARY, RoutingControlState: 'On' })
      .on(GetRoutingControlStateCommand, { RoutingControlArn: ARC_RECOVERY })
      .resolves({ RoutingControlArn: ARC_RECOVERY, RoutingControlState: 'Off' });
    arc.on(UpdateRoutingControlStatesCommand).resolves({});

    await traffic().switchTo(arcPlan, 'recovery');

    expect(arc).toHaveReceivedCommandExactlyOnceWith(UpdateRoutingControlStatesCommand, {
      UpdateRoutingControlStateEntries: [
        { RoutingControlArn: ARC_RECOVERY, RoutingControlState: 'On' },
        { RoutingControlArn: ARC_PRIMARY, RoutingControlState: 'Off' },
      ],
    });
  });

  it('rotates to the next cluster endpoint when one fails or throttles', async () => {
    endpointsUsed.length = 0;
    arc
      .on(GetRoutingControlStateCommand)
      .rejectsOnce(named('EndpointTemporarilyUnavailableException'))
      .rejectsOnce(named('ThrottlingException'))
      .resolves({ RoutingControlArn: ARC_PRIMARY, RoutingControlState: 'On' });

    const site = await traffic().activeSite(arcPlan);

    expect(site).toBe('unknown'); // both controls read On: a mixed state
    expect(endpointsUsed).toEqual([
      ENDPOINTS[0]!.endpoint,
      ENDPOINTS[1]!.endpoint,
      ENDPOINTS[2]!.endpoint,
      ENDPOINTS[2]!.endpoint,
    ]);
  });

  it('gives up with a provider error naming every endpoint when all fail', async () => {
    arc.on(GetRoutingControlStateCommand).rejects(named('InternalServerException'));
    arc.on(UpdateRoutingControlStatesCommand).resolves({});

    const error = await traffic()
      .switchTo(arcPlan, 'recovery')
      .catch((e: unknown) => e);

    expect((error as Error).message).toContain('every cluster endpoint failed');
    expect(arc).toHaveReceivedCommandTimes(GetRoutingControlStateCommand, ENDPOINTS.length);
    expect(arc).toHaveReceivedCommandTimes(UpdateRoutingControlStatesCommand, 0);
  });

  it('does not rotate on a validation error that every endpoint would give', async () => {
    arc.on(GetRoutingControlStateCommand).rejects(named('ValidationException', 'bad arn'));

    await expect(traffic().switchTo(arcPlan, 'recovery')).rejects.toThrow(/ValidationException: bad arn/);
    expect(arc).toHaveReceivedCommandTimes(GetRoutingControlStateCommand, 1);
  });
});

describe('Route53TrafficSwitch (simulated Route 53 and ARC through the real SDK)', () => {
  const cloudWith = (
    given: { records?: ResourceRecordSet[]; controls?: Record<string, string>[] },
    faults: unknown[] = [],
  ) =>
    new SimulatedCloud(
      parseWorld(
        'world.json',
        JSON.stringify({
          clock: '2026-11-21T12:00:00Z',
          aws: {
            route53: {
              hostedZones: [{ Id: `/hostedzone/${ZONE}`, Name: 'example.com.' }],
              resourceRecordSets: given.records ?? [],
            },
            routingControls: given.controls ?? [],
          },
          faults,
        }),
      ),
    );
  const trafficOn = (cloud: SimulatedCloud) =>
    new Route53TrafficSwitch({
      route53: new Route53Client(createSimulatedAwsClientConfig(cloud, 'us-east-1')),
      arcClientFor: (endpoint, region) =>
        new Route53RecoveryClusterClient({ ...createSimulatedAwsClientConfig(cloud, region), endpoint }),
      retry: { retries: 2, minTimeoutMs: 1 },
    });
  const listed = async (cloud: SimulatedCloud) =>
    (
      await new Route53Client(createSimulatedAwsClientConfig(cloud, 'us-east-1')).send(
        new ListResourceRecordSetsCommand({
          HostedZoneId: ZONE,
          StartRecordName: NAME,
          StartRecordType: 'CNAME',
        }),
      )
    ).ResourceRecordSets;

  it('flips weighted routing; the new weights are what ListResourceRecordSets answers', async () => {
    const cloud = cloudWith({
      records: [weighted('primary', 100, 'a.example.net'), weighted('recovery', 0, 'b.example.net')],
    });
    const traffic = trafficOn(cloud);

    expect(await traffic.activeSite(weightedPlan)).toBe('primary');
    await traffic.switchTo(weightedPlan, 'recovery');
    await traffic.switchTo(weightedPlan, 'recovery');

    expect(await traffic.activeSite(weightedPlan)).toBe('recovery');
    expect(await listed(cloud)).toEqual([
      weighted('primary', 0, 'a.example.net'),
      weighted('recovery', 100, 'b.example.net'),
    ]);
    expect(cloud.stats()['route53:ChangeResourceRecordSets']).toBe(1);
  });

  it('swaps failover roles, and back, through the simulated change batch rules', async () => {
    const cloud = cloudWith({
      records: [
        failover('primary', 'PRIMARY', 'a.example.net', 'hc-a'),
        failover('recovery', 'SECONDARY', 'b.example.net', 'hc-b'),
      ],
    });
    const traffic = trafficOn(cloud);

    await traffic.switchTo(failoverPlan, 'recovery');
    const afterFailover = await traffic.activeSite(failoverPlan);
    await traffic.switchTo(failoverPlan, 'primary');

    expect(afterFailover).toBe('recovery');
    expect(await traffic.activeSite(failoverPlan)).toBe('primary');
    expect(await listed(cloud)).toEqual([
      failover('primary', 'PRIMARY', 'a.example.net', 'hc-a'),
      failover('recovery', 'SECONDARY', 'b.example.net', 'hc-b'),
    ]);
  });

  it('flips ARC routing controls, rotating past an endpoint that fails', async () => {
    const cloud = cloudWith(
      {
        controls: [
          { RoutingControlArn: ARC_PRIMARY, RoutingControlState: 'On' },
          { RoutingControlArn: ARC_RECOVERY, RoutingControlState: 'Off' },
        ],
      },
      [
        {
          api: 'route53-recovery-cluster:UpdateRoutingControlStates',
          error: 'InternalServerException',
          times: 1,
          status: 500,
        },
      ],
    );
    const traffic = trafficOn(cloud);

    await traffic.switchTo(arcPlan, 'recovery');

    expect(await traffic.activeSite(arcPlan)).toBe('recovery');
    expect(cloud.world.aws.routingControls).toEqual([
      { RoutingControlArn: ARC_PRIMARY, RoutingControlState: 'Off' },
      { RoutingControlArn: ARC_RECOVERY, RoutingControlState: 'On' },
    ]);
    expect(cloud.stats()['route53-recovery-cluster:UpdateRoutingControlStates']).toBe(2);
  });
});
