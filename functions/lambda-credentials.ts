/**
 * The default credential chain of the SDK clients inside a Lambda bundle: the environment only.
 * `cdk/bundling.ts` aliases `@aws-sdk/credential-provider-node` to this module. In Lambda the
 * execution role's credentials are in the environment, and the node chain tries the environment
 * first and stops there, so behaviour is the same; the bundle just leaves out the SSO, INI, process,
 * web-identity, IMDS and login providers (and their nested STS/SSO clients) that Lambda never
 * reaches. Assumed-role credentials of member accounts are given to their clients explicitly.
 */
export { fromEnv as defaultProvider } from '@aws-sdk/credential-provider-env';
