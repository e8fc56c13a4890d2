import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ArmRestoredResourceCleaner } from '#azure/adapters/restored-resource-cleaner.ts';
import {
  appSettingWebhook,
  createAzureRuntime,
  PACKAGED_PLANS_PATH,
  readAzureEnvironment,
} from '#azure/composition.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';

describe('readAzureEnvironment', () => {
  const key = 'x'.repeat(48);

  it('reads the app settings, falling back to the platform region name', () => {
    expect(
      readAzureEnvironment({
        STANDBY_PLANS_PATH: '/home/site/wwwroot/plans',
        COSMOS_ENDPOINT: 'https://standby.documents.azure.com:443/',
        APPROVAL_KEY: key,
        REGION_NAME: 'North Europe',
        ALERT_TEAMS_WEBHOOK: 'TEAMS_ALERTS_URL',
      }),
    ).toEqual({
      plansPath: '/home/site/wwwroot/plans',
      region: 'northeurope',
      cosmosEndpoint: 'https://standby.documents.azure.com:443/',
      cosmosDatabase: 'standby',
      cosmosContainer: 'state',
      approvalKey: Buffer.from(key),
      alertTarget: 'env:TEAMS_ALERTS_URL',
      trustPlatformIdentity: false,
    });
  });

  it('refuses a webhook URL given as ALERT_TEAMS_WEBHOOK, without repeating it', () => {
    const url = 'https://contoso.webhook.office.com/webhookb2/abc/IncomingWebhook/def/ghi';
    const read = () =>
      readAzureEnvironment({
        STANDBY_PLANS_PATH: '/plans',
        COSMOS_ENDPOINT: 'https://standby.documents.azure.com:443/',
        APPROVAL_KEY: key,
        STANDBY_REGION: 'northeurope',
        ALERT_TEAMS_WEBHOOK: url,
      });
    expect(read).toThrow(InvalidInputError);
    expect(read).toThrow(/ALERT_TEAMS_WEBHOOK must be the name of the app setting that holds the webhook/);
    expect(read).not.toThrow(/contoso|webhookb2/);
  });

  it('names every missing or unusable setting at once, never the key itself', () => {
    const read = () => readAzureEnvironment({ STANDBY_PLANS_PATH: '/plans', APPROVAL_KEY: 'too-short' });
    expect(read).toThrow(InvalidInputError);
    expect(read).toThrow(
      'Standby app settings: COSMOS_ENDPOINT is not set; STANDBY_REGION is not set (nor REGION_NAME); APPROVAL_KEY holds 9 bytes; at least 32 are required',
    );
  });

  it('reads the optional settings: previous key, Event Grid topic, metrics resource; plans default to the package', () => {
    const previous = 'p'.repeat(40);
    const appId =
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/sites/standby-ne';
    expect(
      readAzureEnvironment({
        COSMOS_ENDPOINT: 'https://standby.documents.azure.com:443/',
        APPROVAL_KEY: key,
        APPROVAL_KEY_PREVIOUS: previous,
        STANDBY_REGION: 'northeurope',
        EVENT_GRID_TOPIC_ENDPOINT: 'https://standby-events.northeurope-1.eventgrid.azure.net/api/events',
        STANDBY_METRICS_RESOURCE_ID: appId,
        APPROVAL_BASE_URL: 'https://standby-ne.azurewebsites.net/api/approval',
        WEBSITE_AUTH_ENABLED: 'True',
      }),
    ).toMatchObject({
      approvalBaseUrl: 'https://standby-ne.azurewebsites.net/api/approval',
      trustPlatformIdentity: true,
      plansPath: PACKAGED_PLANS_PATH,
      previousApprovalKey: Buffer.from(previous),
      eventGridEndpoint: 'https://standby-events.northeurope-1.eventgrid.azure.net/api/events',
      metricsResourceId: appId,
    });
    expect(PACKAGED_PLANS_PATH).toMatch(/[/\\]plans$/);
  });

  it.each([
    ['a short previous key', { APPROVAL_KEY_PREVIOUS: 'short' }, 'APPROVAL_KEY_PREVIOUS holds 5 bytes'],
    [
      'a topic endpoint over plain HTTP',
      { EVENT_GRID_TOPIC_ENDPOINT: 'http://standby-events.example/api/events' },
      "EVENT_GRID_TOPIC_ENDPOINT must be the topic's https endpoint",
    ],
    [
      'an approval endpoint over plain HTTP',
      { APPROVAL_BASE_URL: 'http://standby-ne.azurewebsites.net/api/approval' },
      'APPROVAL_BASE_URL must be an https URL',
    ],
  ])('refuses %s, naming the setting', (_name, extra, message) => {
    expect(() =>
      readAzureEnvironment({
        COSMOS_ENDPOINT: 'https://standby.documents.azure.com:443/',
        APPROVAL_KEY: key,
        STANDBY_REGION: 'northeurope',
        ...extra,
      }),
    ).toThrow(message);
  });
});

describe('appSettingWebhook', () => {
  it('reads an env:NAME reference from the app settings, and refuses any other kind', () => {
    const env = { TEAMS_WEBHOOK_URL: 'https://contoso.example/workflows/abc' };
    expect(appSettingWebhook('env:TEAMS_WEBHOOK_URL', env)).toBe(env.TEAMS_WEBHOOK_URL);
    expect(appSettingWebhook('env:UNSET', env)).toBeUndefined();
    expect(() => appSettingWebhook('secretsmanager:teams', env)).toThrow(InvalidInputError);
    expect(() => appSettingWebhook('secretsmanager:teams', env)).toThrow('write env:NAME');
  });
});

describe('createAzureRuntime', () => {
  it('gives the controller the ARM tear-down of what drills restored', async () => {
    const runtime = await createAzureRuntime(
      readAzureEnvironment({
        STANDBY_PLANS_PATH: fileURLToPath(new URL('../../examples/plans', import.meta.url)),
        COSMOS_ENDPOINT: 'https://standby.documents.azure.com:443/',
        APPROVAL_KEY: 'k'.repeat(48),
        STANDBY_REGION: 'northeurope',
      }),
    );
    expect(runtime.controller.cleaner).toBeInstanceOf(ArmRestoredResourceCleaner);
  });
});
