/**
 * One Standby Lambda function with the project's defaults: Node 22 on ARM64, ESM bundle built
 * locally by esbuild (no Docker) with source maps, active X-Ray tracing, an explicit log group with a
 * retention, and a dedicated role that may write only to that log group. Grants beyond that are
 * added by the stack, per function.
 */
import { basename, isAbsolute, join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type IDestination, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Files to ship next to the bundle, e.g. the plan set. */
export interface BundledFiles {
  /** Directory inside the bundle, relative to its root (`/var/task` on Lambda). */
  readonly directory: string;
  /** Absolute paths of the files to copy there; each keeps its base name. */
  readonly files: readonly string[];
}

/** Properties of {@link StandbyFunction}. */
export interface StandbyFunctionProps {
  /** The project root: where `package.json` and `package-lock.json` are. */
  readonly projectRoot: string;
  /** The handler file, relative to `projectRoot` (e.g. `functions/handlers/events.ts`). */
  readonly entry: string;
  /** What the function is for, shown in the console. */
  readonly description: string;
  /**
   * Name of the exported handler.
   * @default 'handler'
   */
  readonly handler?: string;
  /**
   * How long one invocation may run.
   * @default Duration.minutes(1)
   */
  readonly timeout?: Duration;
  /**
   * Memory in MB (also buys CPU).
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Environment variables, besides `NODE_OPTIONS=--enable-source-maps`.
   * @default {}
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * How long logs are kept.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: RetentionDays;
  /**
   * Files copied into the bundle after esbuild ran.
   * @default none
   */
  readonly bundledFiles?: BundledFiles;
  /**
   * Where an asynchronous invocation goes after its retries failed.
   * @default none
   */
  readonly onFailure?: IDestination;
  /**
   * Retries of a failed asynchronous invocation (0-2).
   * @default 2
   */
  readonly retryAttempts?: number;
}

/** Single quotes for a POSIX shell; the paths come from the developer's own checkout. */
const shellQuote = (s: string): string => `'${s.replaceAll("'", "'\\''")}'`;

/** A Lambda function carrying Standby's defaults. */
export class StandbyFunction extends Construct {
  /** The function. */
  readonly function: NodejsFunction;
  /** Its execution role (log writes only, plus what the stack grants). */
  readonly role: Role;
  /** Its log group. */
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: StandbyFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // A role of our own instead of AWSLambdaBasicExecutionRole: that managed policy lets the function
    // write to every log group in the account; this one names its own.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.description}`,
    });
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    const files = props.bundledFiles;
    this.function = new NodejsFunction(this, 'Function', {
      entry: isAbsolute(props.entry) ? props.entry : join(props.projectRoot, props.entry),
      handler: props.handler ?? 'handler',
      description: props.description,
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      tracing: Tracing.ACTIVE,
      timeout: props.timeout ?? Duration.minutes(1),
      memorySize: props.memorySize ?? 512,
      role: this.role,
      logGroup: this.logGroup,
      retryAttempts: props.retryAttempts ?? 2,
      ...(props.onFailure ? { onFailure: props.onFailure } : {}),
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        minify: true,
        // Error names (ProviderError, ConflictError) stay readable in logs.
        keepNames: true,
        sourceMap: true,
        sourcesContent: false,
        // Bundle the pinned SDK instead of the runtime's: the code runs with the versions it was tested with.
        externalModules: [],
        // Some bundled CommonJS dependencies call require(); give the ESM bundle one.
        banner:
          "import { createRequire as __standbyRequire } from 'node:module'; const require = __standbyRequire(import.meta.url);",
        ...(files
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (_input: string, output: string) => [
                  `mkdir -p ${shellQuote(join(output, files.directory))}`,
                  ...files.files.map(
                    (f) => `cp ${shellQuote(f)} ${shellQuote(join(output, files.directory, basename(f)))}`,
                  ),
                ],
              },
            }
          : {}),
      },
    });
  }
}
