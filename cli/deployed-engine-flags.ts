/** The flags that name a deployed controller, read without loading any SDK (see `deployed-engine.ts`). */

/** The flags that name a deployed controller: directly, or through `cdk deploy --outputs-file`. */
export interface DeployedFlags {
  readonly region?: string;
  readonly table?: string;
  readonly approvalKey?: string;
  /** The JSON `cdk deploy --outputs-file` wrote: `{ "<stack>": { "StateTableName": …, … } }`. */
  readonly stackOutputs?: string;
  /** Which stack of the outputs file, when it holds several. */
  readonly stack?: string;
}

/** Whether any flag names a deployed controller (then `--state` is not used). */
export const namesDeployed = (flags: DeployedFlags): boolean =>
  Object.values(flags).some((v) => v !== undefined);

/** The `--region … --stack` options as commander gives them, or `undefined` when none is set. */
export function deployedFlagsOf(opts: DeployedFlags): DeployedFlags | undefined {
  const flags: DeployedFlags = {
    ...(opts.region !== undefined ? { region: opts.region } : {}),
    ...(opts.table !== undefined ? { table: opts.table } : {}),
    ...(opts.approvalKey !== undefined ? { approvalKey: opts.approvalKey } : {}),
    ...(opts.stackOutputs !== undefined ? { stackOutputs: opts.stackOutputs } : {}),
    ...(opts.stack !== undefined ? { stack: opts.stack } : {}),
  };
  return namesDeployed(flags) ? flags : undefined;
}
