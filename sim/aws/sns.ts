/**
 * Simulated Amazon SNS (awsQuery protocol): `Publish` only, which is all Standby sends. Published
 * messages are kept in `cloud.world.aws.snsMessages`, so a test or a person can read what an e-mail
 * subscriber would have received; the topic must be one the world lists in `aws.snsTopics`, else
 * the real service's `NotFound` error.
 */
import { randomUUID } from 'node:crypto';
import { type HttpRequest, HttpResponse } from '@smithy/protocol-http';
import { SimulatedApiError, type SimulatedCloud } from '../cloud.ts';
import { type AwsServiceModule, readBody } from './protocol.ts';

const xml = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The SNS operations the simulation serves. */
export const SNS_OPERATIONS: readonly string[] = ['sns:Publish'];

/** The SNS service module for the simulated AWS handler registry. */
export const snsService: AwsServiceModule = async (cloud: SimulatedCloud, request: HttpRequest) => {
  const form = new URLSearchParams(await readBody(request));
  const action = form.get('Action') ?? '';
  if (action !== 'Publish')
    throw new SimulatedApiError(
      'InvalidAction',
      400,
      `The action ${action || '(none)'} is not valid for this web service.`,
    );
  return cloud.call('sns:Publish', () => {
    const topicArn = form.get('TopicArn') ?? '';
    const topics = cloud.world.aws.snsTopics;
    if (topics.length > 0 && !topics.includes(topicArn))
      throw new SimulatedApiError('NotFound', 404, `Topic does not exist: ${topicArn}`);
    const messageId = randomUUID();
    cloud.world.aws.snsMessages.push({
      MessageId: messageId,
      TopicArn: topicArn,
      Subject: form.get('Subject') ?? undefined,
      Message: form.get('Message') ?? '',
      Timestamp: cloud.clock.now().getTime() / 1000,
    });
    const body =
      '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult>' +
      `<MessageId>${xml(messageId)}</MessageId></PublishResult>` +
      `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`;
    return new HttpResponse({
      statusCode: 200,
      headers: { 'content-type': 'text/xml' },
      body: Buffer.from(body, 'utf8'),
    });
  });
};
