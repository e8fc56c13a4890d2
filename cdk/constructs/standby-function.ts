/**
 * One Standby Lambda function with the project's defaults: Node 22 on ARM64, the ESM bundle built
 * locally by esbuild with the one configuration `npm run bundle` uses (`cdk/bundling.ts`; no Docker),
 * its source map beside it (not enabled at import: no cold-start cost), active X-Ray tracing, an
 * explicit log group with a retention, and a dedicated role that may write only to that log group.
 * Grants beyond that are added by the stack, per function.
 */

import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { AssetHashType, DockerImage, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  Code,
  type IDestination,
  Function as LambdaFunction,
  Runtime,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BUNDLE_FILE, bundleFunction, HANDLERS_DIRECTORY } from '../bundling.ts';

/** Files to write next to the bundle, e.g. the plan set. */
export interface BundledFiles {
  /** Directory inside the bundle, relative to its root (`/var/task` on Lambda). */
  readonly directory: string;
  /** The files to write there: name → content. */
  readonly files: Readonly<Record<string, string>>;
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
   * Environment variables.
   * @default {}
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * How long logs are kept.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: RetentionDays;
  /**
   * Files written into the bundle after esbuild ran.
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

/** A Lambda function carrying Standby's defaults. */
export class StandbyFunction extends Construct {
  /** The function. */
  readonly function: LambdaFunction;
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
    const entry = isAbsolute(props.entry) ? props.entry : join(props.projectRoot, props.entry);
    const files = props.bundledFiles;
    const code = Code.fromAsset(join(props.projectRoot, HANDLERS_DIRECTORY), {
      // The hash of what is deployed (the bundle and the files), not of the sources.
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        // Never used: local bundling always succeeds or throws. Synth needs no Docker.
        image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22'),
        // CDK reuses a bundle for the same source path and options: these tell the functions apart.
        environment: {
          STANDBY_ENTRY: relative(props.projectRoot, entry),
          STANDBY_FILES_SHA256: createHash('sha256')
            .update(JSON.stringify(files ?? {}))
            .digest('hex'),
        },
        local: {
          tryBundle(outputDir: string) {
            bundleFunction(entry, outputDir);
            if (files) {
              mkdirSync(join(outputDir, files.directory), { recursive: true });
              for (const [name, content] of Object.entries(files.files))
                writeFileSync(join(outputDir, files.directory, name), content);
            }
            return true;
          },
        },
      },
    });
    this.function = new LambdaFunction(this, 'Function', {
      code,
      handler: `${BUNDLE_FILE.replace(/\.mjs$/, '')}.${props.handler ?? 'handler'}`,
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      tracing: Tracing.ACTIVE,
      timeout: props.timeout ?? Duration.minutes(1),
      memorySize: props.memorySize ?? 512,
      role: this.role,
      logGroup: this.logGroup,
      retryAttempts: props.retryAttempts ?? 2,
      ...(props.onFailure ? { onFailure: props.onFailure } : {}),
      environment: { ...props.environment },
    });
  }
}
