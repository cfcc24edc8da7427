// Loads a function's handler the way Lambda does: once, on first use, after the environment is set.
import { functions, type FunctionName } from '../routes.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyHandler = (event: any, context: any) => Promise<any>;

const loaded = new Map<FunctionName, Promise<AnyHandler>>();

export const loadHandler = <H = AnyHandler>(name: FunctionName): Promise<H> => {
  let handler = loaded.get(name);
  if (!handler) {
    handler = import(/* @vite-ignore */ `../../functions/${functions[name].entry}`).then((module: { handler: AnyHandler }) => module.handler);
    loaded.set(name, handler);
  }
  return handler as Promise<H>;
};
