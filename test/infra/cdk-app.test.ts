// The deployed shape: data kept safe, a Lambda and route per catalog entry, grants per need (no wildcard and cdk-nag
// clean: cdk-security.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import * as queueSettings from '../../infra/queue-settings.ts';
import { functions, needsJwt, routes, type FunctionName, type FunctionSpec } from '../../infra/routes.ts';
import { tableIndexes, tableKeys, ttlAttribute } from '../../infra/table-design.ts';
import { envNames } from '../../lib/config.ts';
import { actionsOf, roleStatements } from './policy-statements.ts';
import { ofType, refersTo, single, useSynthesizedPortal, type CfnResource } from './synth.ts';

const portal = useSynthesizedPortal({ bundles: true });

const catalog = Object.entries(functions) as [FunctionName, FunctionSpec][];
const props = (resource: CfnResource) => resource.Properties as Record<string, any>;
const functionResource = (name: FunctionName): CfnResource => portal.codeResources[portal.functionLogicalIds.get(name)!]!;
const roleOf = (name: FunctionName): string => props(functionResource(name)).Role['Fn::GetAtt'][0];
const mappings = () => ofType(portal.codeResources, 'AWS::Lambda::EventSourceMapping');
/** The event source mapping that invokes function `name`. */
const mappingOf = (name: FunctionName): CfnResource => mappings().find(([, m]) => props(m).FunctionName.Ref === portal.functionLogicalIds.get(name))![1];

describe('stateful stack', () => {
  it('is termination-protected', () => {
    expect(portal.stateful.terminationProtection).toBe(true);
  });

  it('keeps one on-demand table with PITR, deletion protection, TTL and the designed keys and indexes', () => {
    const [, table] = single(portal.dataResources, 'AWS::DynamoDB::GlobalTable');
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    const p = props(table);
    expect(p.BillingMode).toBe('PAY_PER_REQUEST');
    expect(p.KeySchema).toEqual([
      { AttributeName: tableKeys.partitionKey, KeyType: 'HASH' },
      { AttributeName: tableKeys.sortKey, KeyType: 'RANGE' },
    ]);
    expect(p.GlobalSecondaryIndexes).toEqual(
      tableIndexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    );
    expect(p.TimeToLiveSpecification).toEqual({ AttributeName: ttlAttribute, Enabled: true });
    expect(p.Replicas).toHaveLength(1);
    expect(p.Replicas[0].PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(p.Replicas[0].DeletionProtectionEnabled).toBe(true);
  });

  it('encrypts table, queues and secret with one retained customer-managed key that rotates', () => {
    const [keyId, key] = single(portal.dataResources, 'AWS::KMS::Key');
    expect(props(key).EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe('Retain');
    const [, table] = single(portal.dataResources, 'AWS::DynamoDB::GlobalTable');
    expect(props(table).SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
    expect(refersTo(props(table).Replicas[0].SSESpecification.KMSMasterKeyId, keyId)).toBe(true);
    for (const [, queue] of ofType(portal.dataResources, 'AWS::SQS::Queue')) {
      expect(refersTo(props(queue).KmsMasterKeyId, keyId)).toBe(true);
    }
    const [, secret] = single(portal.dataResources, 'AWS::SecretsManager::Secret');
    expect(refersTo(props(secret).KmsKeyId, keyId)).toBe(true);
    expect(props(secret).GenerateSecretString.PasswordLength).toBeGreaterThanOrEqual(32);
    expect(secret.DeletionPolicy).toBe('Retain');
  });

  it('redrives ticket requests to a longer-lived DLQ after five receives, with room for six consumer timeouts', () => {
    // The document uploads' queues are test/infra/document-storage.test.ts's.
    const queues = ofType(portal.dataResources, 'AWS::SQS::Queue').filter(([id]) => !id.startsWith('Documents'));
    const [, ticketQueue] = queues.find(([, queue]) => props(queue).RedrivePolicy)!;
    const [dlqId, dlq] = queues.find(([, queue]) => !props(queue).RedrivePolicy)!;
    expect(queues).toHaveLength(2);
    expect(props(ticketQueue).RedrivePolicy.maxReceiveCount).toBe(5);
    expect(props(ticketQueue).RedrivePolicy.maxReceiveCount).toBe(queueSettings.maxReceiveCount);
    expect(refersTo(props(ticketQueue).RedrivePolicy.deadLetterTargetArn, dlqId)).toBe(true);
    expect(props(dlq).MessageRetentionPeriod).toBeGreaterThan(props(ticketQueue).MessageRetentionPeriod);

    const consumer = portal.codeResources[props(mappingOf('raise-verification-tickets')).FunctionName.Ref]!;
    expect(props(ticketQueue).VisibilityTimeout).toBeGreaterThanOrEqual(6 * props(consumer).Timeout);
    expect(props(consumer).Timeout).toBe(queueSettings.consumerTimeoutSeconds);
    for (const [, queue] of queues) expect(queue.DeletionPolicy).toBe('Retain');
  });

  it('refuses every queue request that is not over TLS', () => {
    const queueIds = ofType(portal.dataResources, 'AWS::SQS::Queue').map(([id]) => id);
    for (const queueId of queueIds) {
      portal.data.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });
});

describe('stateless stack', () => {
  it('runs one arm64 Lambda on Node.js 22 or newer per catalog entry, logging JSON to its own log group, traced by Lambda', () => {
    const lambdas = ofType(portal.codeResources, 'AWS::Lambda::Function');
    expect(lambdas).toHaveLength(catalog.length);
    for (const [id, fn] of lambdas) {
      const p = props(fn);
      expect(Number(/^nodejs(\d+)\.x$/.exec(p.Runtime)?.[1]), id).toBeGreaterThanOrEqual(22);
      expect(p.Architectures, id).toEqual(['arm64']);
      expect(p.LoggingConfig, id).toMatchObject({ LogFormat: 'JSON', LogGroup: { Ref: expect.any(String) } });
      expect(p.Environment.Variables.SERVICE_NAME, id).toBe('portal-onboarding');
      // Debug sampling needs Lambda to pass DEBUG lines; the Logger's own level keeps the rest at INFO.
      expect([p.LoggingConfig.ApplicationLogLevel, p.Environment.Variables.LOG_LEVEL], id).toEqual(['DEBUG', 'INFO']);
      expect(p.Environment.Variables.NODE_OPTIONS, id).toBeUndefined();
      expect(p.TracingConfig, `${id} traces actively`).toEqual({ Mode: 'Active' });
      // CDK's esbuild honours the credentials alias (infra/bundling.ts): no link of the SDK's default chain but env.
      const code = readFileSync(join(portal.app.outdir, `asset.${p.Code.S3Key.replace(/\.zip$/, '')}`, 'index.mjs'), 'utf8');
      expect(code.includes('defaultProvider::fromSSO') || code.includes('AWS_CONTAINER_CREDENTIALS'), id).toBe(false);
    }
    for (const [id, role] of ofType(portal.codeResources, 'AWS::IAM::Role')) {
      expect(props(role).ManagedPolicyArns, `${id} should not need a managed policy`).toBeUndefined();
    }
  });

  it('sizes memory by who waits: 1,024 MB for API routes, 512 MB for the queue consumer and the sweeper', () => {
    for (const [name, spec] of catalog) {
      expect(props(functionResource(name)).MemorySize, name).toBe(spec.trigger ? 512 : 1024);
    }
  });

  it('gives each function exactly the env vars its needs call for', () => {
    for (const [name, spec] of catalog) {
      const env = props(functionResource(name)).Environment.Variables as Record<string, unknown>;
      expect(envNames.table in env, `${name} ${envNames.table}`).toBe(spec.needs.table !== undefined);
      expect(envNames.ticketQueueUrl in env, `${name} ${envNames.ticketQueueUrl}`).toBe(spec.needs.ticketQueue === true);
      expect(envNames.accountKeySecretArn in env, `${name} secret`).toBe(spec.needs.accountKey === true);
      for (const emailVar of [envNames.senderEmail, envNames.opsEmail, envNames.sesConfigurationSet]) {
        expect(emailVar in env, `${name} ${emailVar}`).toBe(spec.needs.email === true);
      }
      expect(env[envNames.portalUrl]).toBe('https://portal.example.com');
      expect(env[envNames.inviteExpiryDays]).toBe('7');
    }
  });

  it('grants each function only what its needs call for', () => {
    for (const [name, spec] of catalog) {
      const actions = roleStatements(portal.codeResources, roleOf(name)).flatMap(actionsOf);
      const has = (prefix: string) => actions.some((action) => action.startsWith(prefix));
      // Link routes read by key only (GetItem, no Query) and write only what test/infra/least-privilege.test.ts lists.
      expect(has('dynamodb:GetItem'), `${name} reads`).toBe(spec.needs.table !== undefined);
      expect(has('dynamodb:UpdateItem'), `${name} writes`).toBe(spec.needs.table === 'readwrite');
      expect(actions, `${name} never scans`).not.toContain('dynamodb:Scan');
      expect(has('sqs:SendMessage'), `${name} sends tickets`).toBe(spec.needs.ticketQueue === true);
      expect(has('ses:SendEmail'), `${name} sends email`).toBe(spec.needs.email === true);
      expect(has('secretsmanager:GetSecretValue'), `${name} reads the key`).toBe(spec.needs.accountKey === true);
    }
  });

  it('has one route per route-table entry, with the JWT authorizer exactly where needsJwt says', () => {
    const [authorizerId, authorizer] = single(portal.codeResources, 'AWS::ApiGatewayV2::Authorizer');
    expect(props(authorizer)).toMatchObject({ AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'] });
    const [clientId] = ofType(portal.codeResources, 'AWS::Cognito::UserPoolClient').find(([, c]) => !props(c).AllowedOAuthFlowsUserPoolClient)!; // not the console's
    expect(refersTo(props(authorizer).JwtConfiguration.Audience, clientId)).toBe(true);
    const [poolId] = single(portal.codeResources, 'AWS::Cognito::UserPool');
    expect(props(authorizer).JwtConfiguration.Issuer).toEqual({
      'Fn::Join': ['', ['https://cognito-idp.us-east-1.amazonaws.com/', { Ref: poolId }]],
    });

    const apiRoutes = ofType(portal.codeResources, 'AWS::ApiGatewayV2::Route').map(([, route]) => props(route));
    expect(apiRoutes.map((route) => route.RouteKey).sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
    for (const route of routes) {
      const deployed = apiRoutes.find((candidate) => candidate.RouteKey === `${route.method} ${route.path}`)!;
      if (needsJwt(route)) {
        expect(deployed, deployed.RouteKey).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
      } else {
        expect(deployed.AuthorizationType ?? 'NONE', deployed.RouteKey).toBe('NONE');
        expect(deployed.AuthorizerId, deployed.RouteKey).toBeUndefined();
      }
    }
  });

  it('logs API access as JSON without paths, throttles the default stage, and keeps the logs a set time', () => {
    const [, stage] = single(portal.codeResources, 'AWS::ApiGatewayV2::Stage');
    const p = props(stage);
    expect(p.StageName).toBe('$default');
    expect(p.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: expect.any(Number), ThrottlingBurstLimit: expect.any(Number) });
    const format = JSON.parse(p.AccessLogSettings.Format) as Record<string, string>;
    expect(Object.keys(format)).toEqual(expect.arrayContaining(['requestId', 'ip', 'routeKey', 'status', 'latency']));
    expect(Object.values(format)).not.toContain('$context.path');
    const logGroupId = p.AccessLogSettings.DestinationArn['Fn::GetAtt'][0];
    expect(props(portal.codeResources[logGroupId]!).RetentionInDays).toBeGreaterThan(0);
    for (const [id, group] of ofType(portal.codeResources, 'AWS::Logs::LogGroup')) {
      expect(props(group).RetentionInDays, id).toBeGreaterThan(0);
    }
  });

  it('drains each queue (tickets, SES events, document uploads) into its consumer in batches of 10 with partial failures and capped concurrency', () => {
    const drained = ['ticketQueue', 'emailEvents', 'documentUploads'];
    const consumers = catalog.filter(([, spec]) => drained.includes(spec.trigger?.kind ?? '')).map(([name]) => name);
    expect(mappings().map(([, m]) => props(m).FunctionName.Ref).sort()).toEqual(consumers.map((name) => portal.functionLogicalIds.get(name)).sort());
    for (const name of consumers) {
      expect(props(mappingOf(name)), name).toMatchObject({
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: queueSettings.maxConcurrency },
      });
    }
  });

  it('runs each scheduled function on its rate', () => {
    const scheduled = catalog.filter(([, spec]) => spec.trigger?.kind === 'schedule');
    const rules = ofType(portal.codeResources, 'AWS::Events::Rule').map(([, rule]) => props(rule));
    expect(rules).toHaveLength(scheduled.length);
    for (const [name, spec] of scheduled) {
      const rule = rules.find((candidate) => refersTo(candidate.Targets, portal.functionLogicalIds.get(name)!));
      expect(rule?.ScheduleExpression, name).toBe(spec.trigger?.kind === 'schedule' ? spec.trigger.rate : undefined);
    }
  });

  it('signs staff in through a Cognito pool without self sign-up, with MFA, the tenant attribute and both groups', () => {
    const [, pool] = single(portal.codeResources, 'AWS::Cognito::UserPool');
    const p = props(pool);
    expect(p.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
    expect(p.MfaConfiguration).toBe('ON');
    expect(p.Schema).toEqual(
      expect.arrayContaining([expect.objectContaining({ Name: 'firmId', Mutable: false }), expect.objectContaining({ Name: 'firmName' })]),
    );
    const groups = ofType(portal.codeResources, 'AWS::Cognito::UserPoolGroup').map(([, group]) => props(group).GroupName);
    expect(groups.sort()).toEqual(['advisors', 'ops']);
    const [, client] = ofType(portal.codeResources, 'AWS::Cognito::UserPoolClient').find(([, c]) => !props(c).AllowedOAuthFlowsUserPoolClient)!; // not the console's
    expect(props(client).GenerateSecret).toBe(false);
    expect(props(client).ExplicitAuthFlows).toContain('ALLOW_USER_SRP_AUTH');
  });

  it('sends email from the configured identity through a configuration set', () => {
    const [, identity] = single(portal.codeResources, 'AWS::SES::EmailIdentity');
    expect(props(identity).EmailIdentity).toBe('no-reply@example.com');
    const [configSetId] = single(portal.codeResources, 'AWS::SES::ConfigurationSet');
    const sender = props(functionResource('send-invitation')).Environment.Variables;
    expect(sender[envNames.sesConfigurationSet]).toEqual({ Ref: configSetId });
  });
});
