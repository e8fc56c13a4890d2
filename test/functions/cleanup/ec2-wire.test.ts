/**
 * The EC2 deletes over the SDK's own protocol code, answered with the EC2 API Reference's documented
 * responses (test/fixtures/aws/): the error `Code` becomes the thrown error's name, and a terminate's
 * answer is read as the SDK parses it.
 */
import { readFileSync } from 'node:fs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { type HttpRequest, HttpResponse } from '@smithy/protocol-http';
import { describe, expect, it } from 'vitest';
import { ec2Deletes } from '#functions/cleanup/ec2.ts';
import { parseArn } from '#shared/domain/identifiers.ts';
import { loadPlan } from '../../support/plans.ts';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/aws/${name}`, import.meta.url));
const INSTANCE = parseArn('arn:aws:ec2:eu-central-1:111122223333:instance/i-1234567890abcdef0')!;

/** An EC2 client whose every request is answered by `answer(action)`; records the actions. */
function clientAnswering(answer: (action: string) => { status: number; body: Buffer }) {
  const actions: string[] = [];
  const client = new EC2Client({
    region: 'eu-central-1',
    credentials: { accessKeyId: 'TEST', secretAccessKey: 'TEST' },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: HttpRequest) => {
        const action = new URLSearchParams(String(request.body)).get('Action') ?? '';
        actions.push(action);
        const { status, body } = answer(action);
        return {
          response: new HttpResponse({ statusCode: status, headers: { 'content-type': 'text/xml' }, body }),
        };
      },
      updateHttpClientConfig: () => {},
      httpHandlerConfigs: () => ({}),
    },
  });
  return { client, actions };
}

const xml = (text: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${text}`);

describe('ec2Deletes on the wire', () => {
  it('reads the documented InvalidInstanceID.NotFound error as gone', async () => {
    const { client, actions } = clientAnswering(() => ({
      status: 400,
      body: fixture('ec2-error-invalid-instance-id-not-found.xml'),
    }));
    const outcome = await ec2Deletes(() => client)['ec2']!['instance/']!(INSTANCE, loadPlan().resources[0]!);
    expect(outcome).toEqual({
      state: 'deleted',
      detail: 'instance i-1234567890abcdef0 is gone (ec2:DescribeInstances: InvalidInstanceID.NotFound)',
    });
    expect(actions).toEqual(['DescribeInstances']);
  });

  it('terminates a running instance and answers deleting on the documented TerminateInstances response', async () => {
    const { client, actions } = clientAnswering((action) => ({
      status: 200,
      body:
        action === 'TerminateInstances'
          ? fixture('ec2-terminate-instances-response.xml')
          : action === 'DescribeInstances'
            ? xml(
                '<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><reservationSet><item><reservationId>r-1</reservationId><instancesSet><item><instanceId>i-1234567890abcdef0</instanceId><instanceState><code>16</code><name>running</name></instanceState></item></instancesSet></item></reservationSet></DescribeInstancesResponse>',
              )
            : xml(
                '<DescribeInstanceAttributeResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><instanceId>i-1234567890abcdef0</instanceId><disableApiTermination><value>false</value></disableApiTermination></DescribeInstanceAttributeResponse>',
              ),
    }));
    const outcome = await ec2Deletes(() => client)['ec2']!['instance/']!(INSTANCE, loadPlan().resources[0]!);
    expect(outcome.state).toBe('deleting');
    expect(actions).toEqual(['DescribeInstances', 'DescribeInstanceAttribute', 'TerminateInstances']);
  });
});
