// Stands in for `@aws-sdk/credential-provider-node` in deployed bundles only (the esbuild alias in infra/bundling.ts).
//
// Lambda hands every function its role's credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_SESSION_TOKEN), and the SDK's default chain would take them from there, its first link. The rest of the chain
// (SSO, shared ini files, credential processes, web identity, the container and instance metadata endpoints) can never
// answer inside Lambda, yet every client's runtime config imports it statically with the STS, SSO and sign-in clients
// it needs: 130 KB of each bundle and about a third of each cold start's import (`npm run bench`,
// docs/performance.md). The SDK's own environment provider is what remains (aws/aws-sdk-js-v3#5516 asks for the same).
//
// Tests, `npm start` and the tools under infra/ run the sources, never a bundle, and keep the whole default chain.
// Anything that runs a bundle outside Lambda must set the same variables (the bench does).
export { fromEnv as defaultProvider } from '@aws-sdk/credential-provider-env';
