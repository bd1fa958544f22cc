import { fromEnv } from '@aws-sdk/credential-provider-env';

// Stands in for @aws-sdk/credential-provider-node in every Lambda bundle (infra/bundling/options.ts).
// Lambda hands each function its role's credentials in environment variables, the first link of the
// SDK's default chain; the rest of the chain (SSO, profiles, web identity, containers, IMDS, with the STS
// and SSO clients they bring) can never apply there, and was 135 kB of every bundle (decision 006).

export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
