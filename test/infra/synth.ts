// Builds the CDK app in-process, exactly as `cdk synth` does (cdk.json context, both stacks), once per test file.
// Bundling every function takes most of a synth (39 esbuild runs), so only a file that reads the bundles asks for them.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement } from 'aws-cdk-lib';
import { afterAll, beforeAll } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { buildPortal, type PortalStacks } from '../../infra/cdk/portal-app.ts';
import type { FunctionName } from '../../infra/routes.ts';

export type CfnResource = { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
export type Resources = Record<string, CfnResource>;

export interface SynthesizedPortal extends PortalStacks {
  app: App;
  data: Template;
  code: Template;
  /** Raw resources of both stacks, keyed by logical id (ids are unique across the two). */
  dataResources: Resources;
  codeResources: Resources;
  /** Logical id of each catalog function's AWS::Lambda::Function in the stateless stack. */
  functionLogicalIds: Map<FunctionName, string>;
  cleanUp(): void;
}

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};

export interface SynthOptions {
  /** Bundle every function (39 esbuild runs), for a test that reads the code; otherwise CDK's placeholder assets. */
  bundles?: boolean;
  /** Context over cdk.json's, as `cdk synth -c` would give it. */
  context?: Record<string, unknown>;
}

export const synthesizePortal = ({ bundles = false, context = {} }: SynthOptions = {}): SynthesizedPortal => {
  const outdir = mkdtempSync(join(tmpdir(), 'portal-cdk-test-'));
  // Without bundles each function's code is CDK's placeholder asset; the templates are otherwise the same.
  const app = new App({ outdir, context: { ...cdkJson.context, ...(bundles ? {} : { 'aws:cdk:bundling-stacks': [] }), ...context } });
  const stacks = buildPortal(app, { region: 'us-east-1' });
  app.synth();
  const data = Template.fromStack(stacks.stateful);
  const code = Template.fromStack(stacks.stateless);
  const functionLogicalIds = new Map<FunctionName, string>();
  for (const [name, fn] of stacks.stateless.handlers) {
    functionLogicalIds.set(name, stacks.stateless.getLogicalId(fn.node.defaultChild as CfnElement));
  }
  return {
    app,
    ...stacks,
    data,
    code,
    dataResources: data.toJSON().Resources as Resources,
    codeResources: code.toJSON().Resources as Resources,
    functionLogicalIds,
    cleanUp: () => rmSync(outdir, { recursive: true, force: true }),
  };
};

/**
 * The portal synthesized once for the calling test file, before its tests, and its output folder removed after them.
 * The object is filled in by the `beforeAll`, so read its properties inside tests and hooks, not at collection.
 */
export const useSynthesizedPortal = (options: SynthOptions = {}): SynthesizedPortal => {
  const portal = {} as SynthesizedPortal;
  beforeAll(() => {
    Object.assign(portal, synthesizePortal(options));
  }, 240_000);
  afterAll(() => portal.cleanUp?.());
  return portal;
};

export const ofType = (resources: Resources, type: string): [string, CfnResource][] =>
  Object.entries(resources).filter(([, resource]) => resource.Type === type);

/** The one resource of a type, or a failure naming how many there were. */
export const single = (resources: Resources, type: string): [string, CfnResource] => {
  const found = ofType(resources, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]!;
};

/** Whether a CloudFormation value refers to the resource with this logical id (Ref, GetAtt or cross-stack import). */
export const refersTo = (value: unknown, logicalId: string): boolean => JSON.stringify(value).includes(logicalId);
