// Loads a function's handler the way Lambda does: once, on first use, after the environment is set. Every function
// shares this one process, so each invocation runs in a scope that shows its settings only the variables its needs
// give it in AWS (infra/function-env.ts): a need missing from the route table fails here, not first in AWS.
import { AsyncLocalStorage } from 'node:async_hooks';
import { readSettingsFrom } from '../../lib/config.ts';
import { envFor, grantedEnv } from '../function-env.ts';
import { runnableFunctions, type FunctionNeeds, type RunnableFunctionName } from '../routes.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyHandler = (event: any, context: any) => Promise<any>;

/** The variables the running invocation may read; none outside an invocation (test code reads them all). */
const invocation = new AsyncLocalStorage<ReadonlySet<string>>();

readSettingsFrom((name) => {
  const visible = invocation.getStore();
  // A variable no need grants (a timing or throttle override) is never set in AWS, so any function may read it.
  return visible === undefined || visible.has(name) || !grantedEnv.has(name) ? process.env[name] : undefined;
});

/** Runs `work` as function `name` with these needs would run: seeing only the variables they give it. */
export const runAs = <T>(name: RunnableFunctionName, needs: FunctionNeeds, work: () => T): T =>
  invocation.run(new Set(envFor(name, needs, 'local')), work);

const loaded = new Map<RunnableFunctionName, Promise<AnyHandler>>();

/** The handler, invoked with the environment of `needs`: the route table's own unless a test takes one away. */
export const loadHandler = async <H = AnyHandler>(name: RunnableFunctionName, needs: FunctionNeeds = runnableFunctions[name].needs): Promise<H> => {
  let module = loaded.get(name);
  if (!module) {
    module = import(/* @vite-ignore */ `../../functions/${runnableFunctions[name].entry}`).then((loadedModule: { handler: AnyHandler }) => loadedModule.handler);
    loaded.set(name, module);
  }
  const handler = await module;
  const scoped: AnyHandler = (event, context) => runAs(name, needs, () => handler(event, context));
  return scoped as H;
};
