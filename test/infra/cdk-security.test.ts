// Both stacks as an attacker's auditor reads them: no wildcard action, a named resource in every statement (but the
// two X-Ray actions, which take none), and cdk-nag's AwsSolutions rules clean, each acknowledgement with its reason.
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { tracingActions } from '../../infra/cdk/portal-function.ts';
import { functions, needsJwt, routes, type FunctionName, type FunctionSpec } from '../../infra/routes.ts';
import { actionsOf, allStatements, isWildcardAction, resourcesOf } from './policy-statements.ts';
import { useSynthesizedPortal } from './synth.ts';

const portal = useSynthesizedPortal();

const catalog = Object.entries(functions) as [FunctionName, FunctionSpec][];

describe('security', () => {
  const everyStatement = () => [...allStatements(portal.dataResources), ...allStatements(portal.codeResources)];
  // A key policy's `*` resource means "this key", and its root statement hands the key to IAM (CDK's default).
  const isKeyPolicy = (found: { resourceType: string }) => found.resourceType === 'AWS::KMS::Key';
  const isRootDelegation = (found: ReturnType<typeof everyStatement>[number]) =>
    isKeyPolicy(found) && JSON.stringify(found.statement.Principal).includes(':root');
  // Active tracing's two X-Ray write actions support no resource-level permission: AWS accepts only `*` for them.
  const isTracingGrant = (found: ReturnType<typeof everyStatement>[number]) =>
    found.resourceType === 'AWS::IAM::Policy' && JSON.stringify([...actionsOf(found)].sort()) === JSON.stringify([...tracingActions]);

  it('allows no wildcard action, except a key policy delegating its key to IAM', () => {
    const offending = everyStatement().filter(
      (found) => found.statement.Effect === 'Allow' && actionsOf(found).some(isWildcardAction) && !isRootDelegation(found),
    );
    expect(offending).toEqual([]);
  });

  it('grants no partial-wildcard action in any IAM policy', () => {
    const offending = everyStatement().filter(
      (found) => found.resourceType === 'AWS::IAM::Policy' && actionsOf(found).some((action) => action.includes('*')),
    );
    expect(offending).toEqual([]);
  });

  it('names a resource in every statement, except key policies where `*` is the key itself', () => {
    const offending = everyStatement().filter((found) => resourcesOf(found).includes('*') && !isKeyPolicy(found) && !isTracingGrant(found));
    expect(offending).toEqual([]);
  });

  it('lets `*` stand only for the X-Ray tracing grant, once per function role and with exactly its two actions', () => {
    const tracing = everyStatement().filter((found) => resourcesOf(found).includes('*') && !isKeyPolicy(found));
    expect(tracing.every(isTracingGrant)).toBe(true);
    expect(tracing.every((found) => resourcesOf(found).length === 1 && found.statement.Effect === 'Allow' && found.statement.Condition === undefined)).toBe(true);
    expect(tracing).toHaveLength(catalog.length);
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('finds no unacknowledged error or warning', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(portal.app);
    const findings = report.violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(findings).toEqual([]);
  });

  it('acknowledges only the expected rules, each with a specific reason', () => {
    const acknowledged = portal.app.node
      .findAll()
      .flatMap((construct) => construct.node.metadata.filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .map(([id, reason]) => ({ id: id.replace(/^annotation::/i, ''), reason }));
    expect(new Set(acknowledged.map((ack) => ack.id))).toEqual(
      new Set([
        'AwsSolutions-SQS3',
        'AwsSolutions-SMG4',
        'AwsSolutions-APIG4',
        'AwsSolutions-L1',
        'AwsSolutions-IAM5[Resource::*]',
        // The documents' objects under their prefix (infra/cdk/document-storage.ts), for the functions that use them.
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::portal-documents-<AWS::AccountId>-<AWS::Region>/households/*]`,
        // GuardDuty's plan role (infra/cdk/malware-scanning.ts): the rules GuardDuty manages, by their documented name.
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*]',
        'AwsSolutions-IAM5[Resource::<DocumentsBucket089EA665.Arn>/households/*]',
        // The access-log bucket is not logged itself; CDK acknowledges its log-delivery ACL (W3045) on its own.
        'AwsSolutions-S1',
        'CloudFormation-Validate::W3045',
      ]),
    );
    for (const ack of acknowledged) expect(ack.reason.length, ack.id).toBeGreaterThanOrEqual(40);
    const openRoutes = routes.filter((route) => !needsJwt(route)).length;
    expect(acknowledged.filter((ack) => ack.id === 'AwsSolutions-APIG4')).toHaveLength(openRoutes);
    // Only the wildcard-resource finding, and only on function roles (the tracing grant); IAM5 stays on for actions.
    expect(acknowledged.filter((ack) => ack.id === 'AwsSolutions-IAM5[Resource::*]')).toHaveLength(catalog.length);
    expect(acknowledged.filter((ack) => ack.id.includes('portal-documents'))).toHaveLength(catalog.filter(([, spec]) => spec.needs.documents).length);
  });
});
