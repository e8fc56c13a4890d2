import { describe, expect, it } from 'vitest';
import { normalizeEvent, normalizeEvents } from '#shared/domain/events.ts';
import { azureMonitorCases } from './cases.ts';
import { documented, expectNormalized, recorded } from './fixtures.ts';

describe('Azure Monitor common alert decoder', () => {
  const azure = recorded('azure/monitor-common-alert-metric-resolved.example.json') as {
    data: { essentials: Record<string, unknown> };
  };

  it.each(azureMonitorCases.recorded)('normalises the recorded fixture %s', (file, expected) => {
    expectNormalized(normalizeEvents(recorded(file)), expected);
  });

  it.each(azureMonitorCases.documented)('normalises the documented variant %s', (file, expected) => {
    expectNormalized(normalizeEvents(documented(file)), expected);
  });

  it.each<[string, unknown, string]>([
    [
      'an Azure alert with an unknown monitorCondition',
      {
        ...azure,
        data: { ...azure.data, essentials: { ...azure.data.essentials, monitorCondition: 'Maybe' } },
      },
      'data.essentials.monitorCondition',
    ],
    [
      'an Azure alert without alertRule',
      { ...azure, data: { ...azure.data, essentials: { ...azure.data.essentials, alertRule: undefined } } },
      'data.essentials.alertRule',
    ],
    [
      'a resolved Azure alert without resolvedDateTime',
      { ...azure, data: { ...azure.data, essentials: { ...azure.data.essentials, resolvedDateTime: null } } },
      'resolvedDateTime',
    ],
  ])('rejects %s, saying what is wrong', (_what, input, inReason) => {
    const result = normalizeEvent(input);
    expect(result.accepted).toBe(false);
    expect(result).toHaveProperty('reason', expect.stringContaining(inReason));
  });

  it.each<[string, unknown, string]>([
    [
      'another Azure schema',
      { schemaId: 'Microsoft.Insights/activityLogs', data: {} },
      'not the Azure Monitor common alert schema',
    ],
  ])('ignores %s as kind other, with a reason', (_what, input, inReason) => {
    expect(normalizeEvent(input)).toMatchObject({
      accepted: true,
      kind: 'other',
      reason: expect.stringContaining(inReason),
    });
  });
});
