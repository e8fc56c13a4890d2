import {
  InvokeCommand,
  type InvokeCommandOutput,
  LambdaClient,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { LambdaRestoredResourceCleaner } from '#functions/adapters/lambda-restored-resource-cleaner.ts';
import { ErrorCode, ProviderError } from '#shared/domain/errors.ts';
import { loadPlan } from '../../support/plans.ts';

const lambda = mockClient(LambdaClient);
const resource = loadPlan().resources[0]!;
const ARN = 'arn:aws:rds:eu-central-1:111122223333:db:case-db-drill';
const cleaner = new LambdaRestoredResourceCleaner({
  client: new LambdaClient({ region: 'eu-central-1' }),
  functions: new Map([
    ['rds', 'standby-cleanup'],
    ['ec2', 'standby-cleanup-ec2'],
  ]),
});
/** The bytes of an answer (the SDK wraps them in a blob adapter; the cleaner reads the bytes only). */
const bytes = (text: string) => Buffer.from(text, 'utf8') as unknown as InvokeCommandOutput['Payload'];
const payload = (value: unknown) => bytes(JSON.stringify(value));

beforeEach(() => lambda.reset());

describe('LambdaRestoredResourceCleaner', () => {
  it.each([
    { state: 'deleting', detail: 'rds:DeleteDBInstance case-db-drill: accepted; waiting until it is gone' },
    { state: 'deleted', detail: 'DB instance case-db-drill is gone' },
  ])('invokes the clean-up function synchronously and returns its outcome ($state)', async (outcome) => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload(outcome) });
    expect(await cleaner.delete(resource, ARN)).toEqual(outcome);
    const input = lambda.commandCalls(InvokeCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ FunctionName: 'standby-cleanup', InvocationType: 'RequestResponse' });
    expect(JSON.parse(Buffer.from(input.Payload as Uint8Array).toString('utf8'))).toEqual({
      resource: JSON.parse(JSON.stringify(resource)),
      createdResource: ARN,
    });
  });

  it('invokes the function that carries the ARN service', async () => {
    lambda
      .on(InvokeCommand)
      .resolves({ StatusCode: 200, Payload: payload({ state: 'deleted', detail: 'gone' }) });
    await cleaner.delete(resource, 'arn:aws:ec2:eu-central-1:111122223333:volume/vol-1');
    expect(lambda).toHaveReceivedCommandWith(InvokeCommand, { FunctionName: 'standby-cleanup-ec2' });
  });

  it.each([
    [
      'a service no clean-up function carries',
      'arn:aws:fsx:eu-central-1:111122223333:file-system/fs-1',
      'no clean-up function deletes fsx resources (deployed for: rds, ec2)',
    ],
    ['text that is no ARN', 'case-db-drill', 'no clean-up function deletes what is not an ARN'],
  ])('refuses %s without invoking anything', async (_what, created, message) => {
    await expect(cleaner.delete(resource, created)).rejects.toThrow(message);
    expect(lambda.calls()).toEqual([]);
  });

  it('throws the function’s error (FunctionError) as a ProviderError with its message', async () => {
    // What Lambda answers for a Node.js function that threw: status 200, FunctionError "Unhandled".
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: payload({
        errorType: 'ProviderError',
        errorMessage: 'ec2:DeleteVolume: volume vol-1: it is attached to i-0abc; not deleting it',
        trace: ['ProviderError: ec2:DeleteVolume …'],
      }),
    });
    const error = await cleaner.delete(resource, ARN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toBe(
      `lambda:InvokeFunction: clean-up of ${ARN}: ProviderError: ec2:DeleteVolume: volume vol-1: it is attached to i-0abc; not deleting it`,
    );
  });

  it.each([
    ['no payload', undefined, 'the function failed (Unhandled) without a message'],
    ['a payload that is no JSON', bytes('Task timed out'), 'without a message'],
  ])('names a function error with %s', async (_what, body, message) => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, FunctionError: 'Unhandled', Payload: body });
    await expect(cleaner.delete(resource, ARN)).rejects.toThrow(message);
  });

  it('refuses an answer that is not a delete outcome, quoting it', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ state: 'gone' }) });
    await expect(cleaner.delete(resource, ARN)).rejects.toThrow(
      `lambda:InvokeFunction: clean-up of ${ARN}: the clean-up function answered {"state":"gone"}, not { state: deleted | deleting, detail }`,
    );
  });

  it('throws a failed invoke as a ProviderError with the stable code', async () => {
    lambda
      .on(InvokeCommand)
      .rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));
    const error = await cleaner.delete(resource, ARN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).code).toBe(ErrorCode.Throttled);
    expect((error as Error).message).toContain('TooManyRequestsException: Rate exceeded');
  });
});
