import {
  GetRoutingControlStateCommand,
  Route53RecoveryClusterClient,
  UpdateRoutingControlStateCommand,
  UpdateRoutingControlStatesCommand,
} from '@aws-sdk/client-route53-recovery-cluster';
import { describe, expect, it } from 'vitest';
import { createSimulatedAwsClientConfig } from '#sim/aws/request-handler.ts';
import { SimulatedCloud } from '#sim/cloud.ts';
import { parseWorld } from '#sim/world.ts';

const control = (name: string) =>
  `arn:aws:route53-recovery-control::111122223333:controlpanel/abc/routingcontrol/${name}`;

function setup() {
  const cloud = new SimulatedCloud(
    parseWorld(
      'world.json',
      JSON.stringify({
        aws: {
          routingControls: [
            {
              RoutingControlArn: control('primary'),
              RoutingControlState: 'On',
              RoutingControlName: 'primary-cell',
            },
            { RoutingControlArn: control('recovery'), RoutingControlState: 'Off' },
          ],
        },
      }),
    ),
  );
  const arc = new Route53RecoveryClusterClient({
    ...createSimulatedAwsClientConfig(cloud, 'eu-west-1'),
    endpoint: 'https://host-aaa.route53-recovery-cluster.eu-west-1.amazonaws.com/v1',
  });
  return { cloud, arc };
}

describe('simulated ARC cluster', () => {
  it('answers a routing control state with its name', async () => {
    const { arc } = setup();

    const state = await arc.send(
      new GetRoutingControlStateCommand({ RoutingControlArn: control('primary') }),
    );

    expect(state).toMatchObject({
      RoutingControlArn: control('primary'),
      RoutingControlState: 'On',
      RoutingControlName: 'primary-cell',
    });
  });

  it('updates several controls in one call, in the world', async () => {
    const { arc, cloud } = setup();

    await arc.send(
      new UpdateRoutingControlStatesCommand({
        UpdateRoutingControlStateEntries: [
          { RoutingControlArn: control('recovery'), RoutingControlState: 'On' },
          { RoutingControlArn: control('primary'), RoutingControlState: 'Off' },
        ],
      }),
    );
    await arc.send(
      new UpdateRoutingControlStateCommand({
        RoutingControlArn: control('primary'),
        RoutingControlState: 'On',
      }),
    );

    expect(cloud.world.aws.routingControls.map((c) => c['RoutingControlState'])).toEqual(['On', 'On']);
    expect(cloud.stats()).toEqual({
      'route53-recovery-cluster:UpdateRoutingControlState': 1,
      'route53-recovery-cluster:UpdateRoutingControlStates': 1,
    });
  });

  it.each([
    ['an unknown control', control('nope'), 'On', 'ResourceNotFoundException'],
    ['a state other than On/Off', control('primary'), 'Maybe', 'ValidationException'],
  ])('changes nothing when one entry names %s', async (_, arn, state, name) => {
    const { arc, cloud } = setup();

    const error = await arc
      .send(
        new UpdateRoutingControlStatesCommand({
          UpdateRoutingControlStateEntries: [
            { RoutingControlArn: control('recovery'), RoutingControlState: 'On' },
            { RoutingControlArn: arn, RoutingControlState: state as 'On' },
          ],
        }),
      )
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ name });
    expect(cloud.world.aws.routingControls.map((c) => c['RoutingControlState'])).toEqual(['On', 'Off']);
  });
});
