/**
 * The approval endpoint: an HTTP API whose routes `GET|HEAD|POST /approve`, `/reject` and `/override`
 * invoke the approval function (functions/handlers/approval.ts). GET shows a confirmation page and
 * changes nothing; only POST acts. The stage is throttled (a link is clicked by people, not scripts),
 * and its access log records method, route, status and source — never the query string, which holds
 * the token.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogField, AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, type HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IDestination } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type BundledFiles, StandbyFunction } from './standby-function.ts';

/** Properties of {@link ApprovalEndpoint}. */
export interface ApprovalEndpointProps {
  /** The project root: where `package.json` and `package-lock.json` are. */
  readonly projectRoot: string;
  /** The controller's environment (plans path, state table, approval key secret, …). */
  readonly environment: Readonly<Record<string, string>>;
  /** The plan files bundled with the function. */
  readonly bundledFiles: BundledFiles;
  /**
   * How long the function's and the access logs are kept.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: RetentionDays;
  /**
   * Where an asynchronous invocation of the function goes after failing (it is invoked synchronously by
   * the API; this keeps every Standby function's failures in one queue).
   * @default none
   */
  readonly onFailure?: IDestination;
  /**
   * Steady requests per second the stage accepts before it answers 429.
   * @default 5
   */
  readonly rateLimit?: number;
  /**
   * Requests the stage accepts in a burst.
   * @default 20
   */
  readonly burstLimit?: number;
}

/** The paths the approval core answers (platform/approval-http). */
export const APPROVAL_PATHS = ['/approve', '/reject', '/override'] as const;

/** The approval HTTP API and its function. */
export class ApprovalEndpoint extends Construct {
  /** The approval function. */
  readonly handler: StandbyFunction;
  /** The HTTP API. */
  readonly api: HttpApi;
  /** Its throttled `$default` stage. */
  readonly stage: HttpStage;
  /** The base URL links are built on (`https://<id>.execute-api.<region>.amazonaws.com`). */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ApprovalEndpointProps) {
    super(scope, id);
    const retention = props.logRetention ?? RetentionDays.THREE_MONTHS;
    this.handler = new StandbyFunction(this, 'Function', {
      projectRoot: props.projectRoot,
      entry: 'functions/handlers/approval.ts',
      description: 'Standby: approval, rejection and fail-over-anyway links',
      environment: props.environment,
      bundledFiles: props.bundledFiles,
      logRetention: retention,
      // API Gateway waits at most 30 s for an integration.
      timeout: Duration.seconds(25),
      retryAttempts: 0,
      ...(props.onFailure ? { onFailure: props.onFailure } : {}),
    });
    this.api = new HttpApi(this, 'Api', {
      description: 'Standby approval links: GET shows, POST acts',
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention, removalPolicy: RemovalPolicy.RETAIN });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit ?? 5, burstLimit: props.burstLimit ?? 20 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // Never $context.path with the query, nor the request body: the token must not reach a log.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: AccessLogField.contextRequestId(),
            time: AccessLogField.contextRequestTime(),
            method: AccessLogField.contextHttpMethod(),
            route: AccessLogField.contextRouteKey(),
            status: AccessLogField.contextStatus(),
            sourceIp: AccessLogField.contextIdentitySourceIp(),
          }),
        ),
      },
    });
    const integration = new HttpLambdaIntegration('Integration', this.handler.function);
    for (const path of APPROVAL_PATHS)
      this.api.addRoutes({ path, methods: [HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST], integration });
    this.url = this.api.apiEndpoint;

    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'The links are opened from e-mail and Teams by people without AWS credentials: each request is authorised by its signed, expiring, single-use token (docs/security.md), and GET changes nothing.',
    });
  }
}
