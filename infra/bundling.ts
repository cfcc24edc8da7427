// How every function is bundled: the CDK function construct and `npm run bench` both read this,
// so what is measured is what is deployed. Sizes below are list-households, measured with the bench.

/** esbuild options shared by CDK (NodejsFunction `bundling`) and the bench's own esbuild calls. */
export const bundling = {
  /** Lambda runs the bundle as ESM (`index.mjs`). */
  format: 'esm',
  /** The deployed runtime is Node.js 22; the code stays valid on Node 20, which runs the tests. */
  target: 'node22',
  platform: 'node',
  /** Smaller bundles parse faster: import time is most of a cold start (minified 361 KB, unminified 893 KB). */
  minify: true,
  /** A source map would be parsed at every cold start when enabled at runtime (an inline one makes 2.7 MB). */
  sourceMap: false,
  /**
   * Bundle the AWS SDK instead of using the runtime's copy: a pinned, tested version, and tree-shaking
   * keeps only the commands a function sends.
   */
  externalModules: [] as string[],
  /** ESM output still meets the occasional CommonJS `require` inside dependencies. */
  banner: "import { createRequire as __portalCreateRequire } from 'node:module'; const require = __portalCreateRequire(import.meta.url);",
  /** Prefer the ESM entry of every package so esbuild can tree-shake it: main-first makes 558 KB instead of 361 KB. */
  mainFields: ['module', 'main'],
  /**
   * Marks a deployed bundle, so code only the local stack runs (it runs the sources, never a bundle) folds away: the
   * SNS stand-in for EventBridge (lib/adapters/event-bus.ts), 21.7 KB in every function that publishes events.
   */
  define: { 'process.env.PORTAL_BUNDLED_FOR_AWS': '"true"' },
  /**
   * The SDK's default credential chain swapped for its environment provider, which is where Lambda puts a function's
   * credentials (infra/lambda-credentials.ts says why): -130 KB and about a third of the import in every function.
   * The path is resolved from the repository root, where both esbuild runs (CDK's and the bench's) start.
   */
  alias: { '@aws-sdk/credential-provider-node': './infra/lambda-credentials.ts' },
  // Not set, on purpose: keepNames (+7% size, 385 KB). Measured with `npm run bench -- --sizes` and found to change no
  // function's ratio to its floor (they shrink both alike, or nothing): legalComments 'none' (-0.1%), charset utf8,
  // conditions ['module'], `pure: ['Object.freeze']`, a NODE_ENV define, target esnext, and no banner.
} as const;

/** Lambda settings the bench's figures argue for (README, Performance); the CDK function construct reads them. */
export const measuredLambdaSettings = {
  /** No function bundles a native (.node) module, so Graviton runs them as is, about 20% cheaper per GB-second. */
  architecture: 'arm64',
  /**
   * HTTP API functions: a cold start's import is CPU-bound (50-90 ms on one full core here) and Lambda gives a
   * full vCPU only at 1,769 MB; 1,024 MB keeps it near 1.7x that, 512 MB near 3.5x, on a path a person waits on.
   * Warm requests spend 1-6 ms of CPU and otherwise wait on DynamoDB and SES, so the larger size costs little.
   */
  httpMemoryMb: 1024,
  /** The queue consumer and the scheduled sweeper: nobody waits on them, so the cheaper size. */
  backgroundMemoryMb: 512,
} as const;
