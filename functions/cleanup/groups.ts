/**
 * Which clean-up Lambda carries the deletes of which ARN services. An SDK client is large — EC2's
 * alone is ~540 KiB minified, its schemas included whole whatever the commands used — and each
 * function's bundle must stay under 1 MiB (test/cdk/bundling.test.ts), so the deletes are spread over
 * clean-up functions, each its own handler file with only its clients. The controller invokes the one
 * that carries the ARN's service (`CLEANUP_FUNCTIONS`, set by the CDK stack from this table).
 *
 * Adding a service: its delete module (`<service>.ts`), its clients in the entry of the group it
 * joins (or a new entry `functions/handlers/cleanup-<name>.ts`), its ARN service here, its grants in
 * `cdk/cleanup-grants.ts`. The bundle test checks each group's bundle carries only its clients.
 */
export const CLEANUP_FUNCTIONS = {
  /**
   * `functions/handlers/cleanup.ts`: RDS instances and clusters, DynamoDB tables, EFS file systems,
   * S3 buckets, EKS clusters, FSx file systems and volumes.
   */
  cleanup: ['rds', 'dynamodb', 'elasticfilesystem', 's3', 'eks', 'fsx'],
  /** `functions/handlers/cleanup-ec2.ts`: EC2 instances and EBS volumes (the EC2 client fills most of a bundle). */
  'cleanup-ec2': ['ec2'],
} as const satisfies Readonly<Record<string, readonly string[]>>;

/** The name of a clean-up function: its handler file's base name. */
export type CleanupFunction = keyof typeof CLEANUP_FUNCTIONS;

/** Reads a `CLEANUP_FUNCTIONS` value (`service=function,…`, set by the CDK stack): ARN service → function name. */
export function parseCleanupRoutes(text: string): ReadonlyMap<string, string> {
  return new Map(
    text
      .split(',')
      .map((pair) => pair.trim())
      .filter(Boolean)
      .map((pair) => {
        const [service = '', fn = ''] = pair.split('=').map((s) => s.trim());
        return [service, fn] as const;
      })
      .filter(([service, fn]) => service && fn),
  );
}
