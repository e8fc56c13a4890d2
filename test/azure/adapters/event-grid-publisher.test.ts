import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import {
  batchesOf,
  EVENT_GRID_SCOPE,
  EventGridPublisher,
  eventGridEventOf,
} from '#azure/adapters/event-grid-publisher.ts';
import { ErrorCode, ProviderError } from '#shared/domain/errors.ts';
import type { OutboundEvent } from '#shared/ports/event-publisher.ts';
import { recordingCredential, recordingTransport } from './recording-transport.ts';

const definition = JSON.parse(
  readFileSync(
    resolve(import.meta.dirname, '../../fixtures/azure/eventgrid-2018-01-01.EventGridEvent.json'),
    'utf8',
  ),
) as Record<string, unknown>;
const { $comment: _comment, ...schema } = definition;
const validBody = new Ajv({ strict: true, validateFormats: false }).compile({ type: 'array', items: schema });

const ENDPOINT = 'https://standby-events.northeurope-1.eventgrid.azure.net/api/events';
const event = (n: number, detail: Record<string, unknown> = {}): OutboundEvent => ({
  id: `hash-${n}`,
  detailType: 'Standby Failover State Change',
  time: '2026-11-21T12:00:00.000Z',
  detail: { app: 'citizen-portal', failoverId: 'f-1', phase: 'restoring', ...detail },
});

const { credential, scopes: scopesAsked } = recordingCredential();
const transport = recordingTransport;

describe('EventGridPublisher', () => {
  it('posts the events to the topic in the Event Grid schema, with a managed-identity token', async () => {
    const t = transport();
    await new EventGridPublisher({ endpoint: ENDPOINT, credential, httpClient: t.httpClient }).publish([
      event(1),
      event(2, { phase: 'completed', level: 'L5' }),
    ]);
    expect(t.requests).toHaveLength(1);
    const request = t.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(`${ENDPOINT}?api-version=2018-01-01`);
    expect(request.headers.get('authorization')).toBe('Bearer managed-identity-token');
    expect(scopesAsked).toContain(EVENT_GRID_SCOPE);
    const body = JSON.parse(String(request.body)) as unknown[];
    expect(validBody(body), JSON.stringify(validBody.errors)).toBe(true);
    expect(body[1]).toEqual({
      id: 'hash-2',
      subject: 'standby/citizen-portal',
      eventType: 'Standby Failover State Change',
      eventTime: '2026-11-21T12:00:00.000Z',
      data: {
        eventId: 'hash-2',
        app: 'citizen-portal',
        failoverId: 'f-1',
        phase: 'completed',
        level: 'L5',
      },
      dataVersion: '1',
    });
  });

  it('throws a provider error coded by the status when the topic refuses the batch', async () => {
    const t = transport(403);
    const publishing = new EventGridPublisher({
      endpoint: ENDPOINT,
      credential,
      httpClient: t.httpClient,
    }).publish([event(1)]);
    await expect(publishing).rejects.toThrow(ProviderError);
    await expect(publishing).rejects.toMatchObject({
      code: ErrorCode.Unauthorized,
      message: expect.stringContaining('HTTP 403 for 1 event(s)'),
    });
  });

  it('refuses an endpoint that is not https, so no token leaves over plain HTTP', () => {
    expect(() => new EventGridPublisher({ endpoint: 'http://topic.example/api/events', credential })).toThrow(
      /must be https/,
    );
  });
});

describe('batchesOf', () => {
  const sized = (n: number, bytes: number) => eventGridEventOf(event(n, { pad: 'x'.repeat(bytes) }));

  it('keeps each request body under the limit, in order', () => {
    const events = Array.from({ length: 10 }, (_, i) => sized(i, 300));
    const batches = batchesOf(events, 1500);
    expect(batches.flat().map((e) => e.id)).toEqual(events.map((e) => e.id));
    for (const b of batches) expect(Buffer.byteLength(JSON.stringify(b))).toBeLessThanOrEqual(1500);
    expect(batches.length).toBeGreaterThan(1);
  });

  it('refuses one event larger than a whole request, naming it', () => {
    expect(() => batchesOf([sized(7, 5000)], 1500)).toThrow(/event hash-7 .* at most 1500/);
  });
});
