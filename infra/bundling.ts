// How every function is bundled: the CDK function construct and `npm run bench` both read this,
// so what is measured is what is deployed.

/** esbuild options shared by CDK (NodejsFunction `bundling`) and the bench's own esbuild calls. */
export const bundling = {
  /** Lambda runs the bundle as ESM (`index.mjs`). */
  format: 'esm',
  /** The deployed runtime is Node.js 22; the code stays valid on Node 20, which runs the tests. */
  target: 'node22',
  platform: 'node',
  /** Smaller bundles parse faster: import time is most of a cold start. */
  minify: true,
  /** Source maps cost cold-start time when enabled at runtime; keep them out of the hot path. */
  sourceMap: false,
  /**
   * Bundle the AWS SDK instead of using the runtime's copy: a pinned, tested version, and tree-shaking
   * keeps only the commands a function sends.
   */
  externalModules: [] as string[],
  /** ESM output still meets the occasional CommonJS `require` inside dependencies. */
  banner: "import { createRequire as __portalCreateRequire } from 'node:module'; const require = __portalCreateRequire(import.meta.url);",
  /** Prefer the ESM entry of every package so esbuild can tree-shake it. */
  mainFields: ['module', 'main'],
} as const;
