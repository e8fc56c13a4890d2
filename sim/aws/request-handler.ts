/**
 * The simulated AWS behind the real SDK v3 clients: an HTTP handler that takes the signed request the
 * SDK built (after serialization, endpoint resolution and signing) and answers it from the simulated
 * cloud, so adapters run their real request and response paths. Services are a registry: adding one
 * is one line in {@link AWS_SERVICES}.
 */
import type { HttpHandler, HttpRequest, HttpResponse } from '@smithy/protocol-http';
import { isAwsRegion } from '#shared/domain/identifiers.ts';
import { SimulatedApiError, type SimulatedCloud } from '../cloud.ts';
import { ARC_OPERATIONS, arcService } from './arc.ts';
import { backupReadRoutes } from './backup.ts';
import { backupRestoreRoutes } from './backup-restore.ts';
import { restoreMetadataRoute } from './backup-restore-metadata.ts';
import { type AwsProtocol, type AwsServiceModule, errorResponse, restJsonService } from './protocol.ts';
import { RDS_OPERATIONS, rdsService } from './rds.ts';
import { ROUTE53_OPERATIONS, route53Service } from './route53.ts';
import { SNS_OPERATIONS, snsService } from './sns.ts';

const BACKUP_ROUTES = [...backupReadRoutes, ...backupRestoreRoutes, restoreMetadataRoute];

/**
 * Simulated services by endpoint prefix (the first label of `<service>.<region>.amazonaws.com`, which
 * for these services is also the SigV4 signing name). Add a service, or more operations of one, here.
 */
export const AWS_SERVICES: Readonly<Record<string, AwsServiceModule>> = {
  backup: restJsonService('backup', BACKUP_ROUTES),
  rds: rdsService,
  route53: route53Service,
  'route53-recovery-cluster': arcService,
  sns: snsService,
};

/** Every AWS operation the simulated services serve, as `service:Operation`. Keep with {@link AWS_SERVICES}. */
export const AWS_OPERATIONS: readonly string[] = [
  ...BACKUP_ROUTES.map((route) => `backup:${route.operation}`),
  ...RDS_OPERATIONS,
  ...ROUTE53_OPERATIONS,
  ...ARC_OPERATIONS,
  ...SNS_OPERATIONS,
];

/** Protocols of AWS services Standby calls, so an unknown operation is refused in a shape the SDK parses. */
const PROTOCOL_BY_SERVICE: Readonly<Record<string, AwsProtocol>> = {
  backup: 'restJson1',
  route53: 'restXml',
  'route53-recovery-cluster': 'awsJson1_0',
  sns: 'awsQuery',
  dynamodb: 'awsJson1_0',
  rds: 'awsQuery',
  monitoring: 'awsQuery',
  events: 'awsJson1_1',
  scheduler: 'restJson1',
};

/** Global services have no region in their endpoint; their SigV4 region is us-east-1. */
const GLOBAL_REGION = 'us-east-1';

/** Service and region a request is addressed to. */
export interface AwsTarget {
  readonly service: string;
  readonly region: string;
}

/**
 * Reads service and region from the endpoint host (`backup.eu-central-1.amazonaws.com`,
 * `route53.amazonaws.com`, `host-x.route53-recovery-cluster.eu-west-1.amazonaws.com`). For any other
 * host (a custom `endpoint`), falls back to the SigV4 credential scope, which names both.
 */
export function awsTargetOf(request: HttpRequest): AwsTarget | undefined {
  const host = request.hostname.toLowerCase();
  const suffix = /\.amazonaws\.com(\.cn)?$/.exec(host);
  if (suffix) {
    const labels = host.slice(0, suffix.index).split('.');
    const last = labels.at(-1)!;
    if (isAwsRegion(last) && labels.length >= 2) return { service: labels.at(-2)!, region: last };
    return { service: last, region: GLOBAL_REGION };
  }
  const authorization = headerOf(request, 'authorization') ?? '';
  const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization);
  return scope ? { service: scope[2]!, region: scope[1]! } : undefined;
}

/**
 * An SDK `requestHandler` answering from `cloud`: routes each request to its service module; a service
 * that is not simulated is answered with `UnknownOperationException` in that service's protocol.
 */
export function createSimulatedAwsHandler(cloud: SimulatedCloud): HttpHandler {
  return {
    async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
      const target = awsTargetOf(request);
      const module = target ? AWS_SERVICES[target.service] : undefined;
      if (!target || !module) {
        const service = target?.service ?? request.hostname;
        const protocol = PROTOCOL_BY_SERVICE[service] ?? 'restJson1';
        const error = new SimulatedApiError(
          'UnknownOperationException',
          404,
          `The simulated cloud has no AWS service "${service}" (simulated: ${Object.keys(AWS_SERVICES).join(', ')})`,
        );
        return { response: errorResponse(protocol, error) };
      }
      return { response: await module(cloud, request, target.region) };
    },
    updateHttpClientConfig: () => {},
    httpHandlerConfigs: () => ({}),
  };
}

/** Client configuration for any AWS SDK v3 client against the simulated cloud, in one line. */
export function createSimulatedAwsClientConfig(cloud: SimulatedCloud, region: string) {
  return {
    region,
    requestHandler: createSimulatedAwsHandler(cloud),
    credentials: { accessKeyId: 'SIMULATED', secretAccessKey: 'SIMULATED' },
    // The adapters own retries (with backoff and rate limits); SDK retries would multiply them.
    maxAttempts: 1,
  };
}

function headerOf(request: HttpRequest, name: string): string | undefined {
  const key = Object.keys(request.headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : request.headers[key];
}
