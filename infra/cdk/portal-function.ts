// The one function construct: every Lambda of the app gets these defaults, so they cannot drift per function.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel, Architecture, LoggingFormat, Runtime, SystemLogLevel, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { functionTimeoutSeconds } from '../../lib/settings/timing.ts';
import { bundling, measuredLambdaSettings } from '../bundling.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Why active tracing's grant names no resource; test/infra/cdk-security.test.ts accepts `*` for exactly these actions. */
export const tracingActions = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'] as const;
const tracingGrantReason =
  'Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions: X-Ray accepts only Resource "*" for them.';

/** The Lambda runtime follows the esbuild target in infra/bundling.ts, so what the bench measures is what runs. */
const runtimeFor = (target: string): Runtime => {
  const runtime = Runtime.ALL.find((candidate) => candidate.name === `nodejs${target.replace(/^node/, '')}.x`);
  if (!runtime) throw new Error(`no Lambda runtime matches the esbuild target ${target}`);
  return runtime;
};

export const portalRuntime = runtimeFor(bundling.target);

export interface PortalFunctionProps {
  /** File under functions/ that exports `handler`. */
  entry: string;
  description?: string;
  /**
   * API functions default to functionTimeoutSeconds.http (lib/settings/timing.ts): each SDK call gives up after
   * 3 tries of at most 3 s, so a request that meets a slow dependency still answers (503) inside it.
   */
  timeout?: Duration;
  /** Who waits on it: a person (an API route) or nobody (the queue consumer, the sweeper). */
  invokedBy?: 'http' | 'background';
  environment?: Record<string, string>;
}

export class PortalFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: PortalFunctionProps) {
    // Its own log group and role, so it never needs AWSLambdaBasicExecutionRole, whose logs actions on `*`
    // would let it write to any log group in the account.
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.THREE_MONTHS });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs functions/${props.entry}`,
    });
    super(scope, id, {
      entry: join(repoRoot, 'functions', props.entry),
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: join(repoRoot, 'package-lock.json'),
      description: props.description,
      runtime: portalRuntime,
      architecture: measuredLambdaSettings.architecture === 'arm64' ? Architecture.ARM_64 : Architecture.X86_64,
      // CPU scales with memory and a cold start's import is CPU-bound: the bench's figures and reasons are in
      // infra/bundling.ts (measuredLambdaSettings).
      memorySize:
        props.invokedBy === 'background' ? measuredLambdaSettings.backgroundMemoryMb : measuredLambdaSettings.httpMemoryMb,
      timeout: props.timeout ?? Duration.seconds(functionTimeoutSeconds.http),
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      // Lambda passes DEBUG through; the Logger itself writes INFO and up, and DEBUG only for its sampled invocations.
      applicationLogLevelV2: ApplicationLogLevel.DEBUG,
      systemLogLevelV2: SystemLogLevel.WARN,
      // Lambda's own X-Ray segments (invocation, init, each SDK call's latency shows as time in the function), with
      // no Tracer SDK in the bundle: it would add 122 KB and a third to every cold start's import (issue #12).
      tracing: Tracing.ACTIVE,
      environment: {
        SERVICE_NAME: 'portal-onboarding',
        LOG_LEVEL: 'INFO',
        ...props.environment,
      },
      bundling: {
        format: bundling.format === 'esm' ? OutputFormat.ESM : OutputFormat.CJS,
        target: bundling.target,
        minify: bundling.minify,
        sourceMap: bundling.sourceMap,
        externalModules: [...bundling.externalModules],
        banner: bundling.banner,
        mainFields: [...bundling.mainFields],
        define: { ...bundling.define },
        // CDK has no alias prop; its esbuild runs in projectRoot (the repository root), as the alias path expects.
        esbuildArgs: { '--alias': Object.entries(bundling.alias).map(([from, to]) => `${from}=${to}`) },
        // Synth stays offline and Docker-free: the repo's own esbuild does the work.
        forceDockerBundling: false,
      },
    });
    logGroup.grantWrite(role);
    // Only the `Resource::*` finding, on this role's policy: any other wildcard in it is still reported.
    Validations.of(role).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: tracingGrantReason });
    Validations.of(this.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-L1',
      reason: `The runtime follows the esbuild target in infra/bundling.ts (${bundling.target}), shared with the bench; both move together.`,
    });
  }

  /** Stack-unique id for a catalog name: `create-household` → `CreateHousehold`. */
  static idFor(name: string): string {
    return name.replace(/(^|-)([a-z0-9])/g, (_match, _dash: string, letter: string) => letter.toUpperCase());
  }
}
