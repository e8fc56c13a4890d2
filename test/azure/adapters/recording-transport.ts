/** A recording HTTP transport and a token credential for the Azure data-plane adapters' tests. */
import {
  createHttpHeaders,
  type HttpClient,
  type PipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';

/** A credential that hands out one token and records the scopes asked for. */
export function recordingCredential() {
  const scopes: string[] = [];
  const credential: TokenCredential = {
    getToken: async (asked) => {
      scopes.push(...[asked].flat());
      return { token: 'managed-identity-token', expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
  return { credential, scopes };
}

/** A transport that records each request and answers with the next status (200 when none is left). */
export function recordingTransport(...statuses: number[]) {
  const requests: PipelineRequest[] = [];
  const httpClient: HttpClient = {
    sendRequest: async (request): Promise<PipelineResponse> => {
      requests.push(request);
      const status = statuses.shift() ?? 200;
      return {
        request,
        status,
        headers: createHttpHeaders(),
        ...(status < 300
          ? {}
          : { bodyAsText: '{"error":{"code":"AuthorizationFailed","message":"denied"}}' }),
      };
    },
  };
  return { requests, httpClient, bodies: () => requests.map((r) => JSON.parse(String(r.body)) as unknown) };
}
