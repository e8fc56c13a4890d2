/** Shapes and helpers shared by the ARM template builders. Pure. */

/** The ARM deployment template schema the generated templates declare. */
export const DEPLOYMENT_TEMPLATE_SCHEMA =
  'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

/** One resource of an ARM template (plain JSON). */
export type ArmResource = Record<string, unknown> & { readonly type: string; readonly name: string };

/** An ARM template expression: `[…]` around an expression. */
export const expr = (expression: string): string => `[${expression}]`;

/** An ARM string literal inside an expression (single quotes doubled). */
export const lit = (text: string): string => `'${text.replaceAll("'", "''")}'`;
