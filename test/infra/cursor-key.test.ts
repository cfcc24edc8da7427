// The cursor-signing key in AWS: each list function reads it, through the secret's own policy, and no other does.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listFunctions } from '../../infra/function-env.ts';
import { functions, type FunctionName, type FunctionSpec } from '../../infra/routes.ts';
import { envNames } from '../../lib/config.ts';
import { ofType, single, useSynthesizedPortal } from './synth.ts';

const portal = useSynthesizedPortal();

const catalog = Object.entries(functions) as [FunctionName, FunctionSpec][];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const props = (logicalId: string) => portal.codeResources[logicalId]!.Properties as Record<string, any>;

describe('the list cursor key in AWS', () => {
  it('is bound to exactly the functions that take a list query (and so a cursor), or sign cursors for a page', () => {
    // The ops console's queue reads its query on the page (lib/console/forms.ts), so its function names only the signing.
    const takesListQuery = catalog
      .filter(([, spec]) => /\blist\w*Query\b|\bsignListCursors\(\)/.test(readFileSync(`functions/${spec.entry}`, 'utf8')))
      .map(([name]) => name);
    expect([...listFunctions].sort()).toEqual(takesListQuery.sort());
  });

  it('names the stack-generated secret in each list function, and in no other', () => {
    const [secretId, secret] = single(portal.codeResources, 'AWS::SecretsManager::Secret');
    expect(secret.Properties?.GenerateSecretString).toMatchObject({ PasswordLength: 64 });
    for (const [name] of catalog) {
      const env = props(portal.functionLogicalIds.get(name)!).Environment.Variables as Record<string, unknown>;
      if ((listFunctions as readonly string[]).includes(name)) expect(env[envNames.cursorKeySecretArn], name).toEqual({ Ref: secretId });
      else expect(env[envNames.cursorKeySecretArn], name).toBeUndefined();
    }
  });

  it("lets only the list functions' roles read it, by the secret's own policy, on that secret alone", () => {
    const [secretId] = single(portal.codeResources, 'AWS::SecretsManager::Secret');
    const [, policy] = single(portal.codeResources, 'AWS::SecretsManager::ResourcePolicy');
    expect(policy.Properties?.SecretId).toEqual({ Ref: secretId });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const statements = (policy.Properties as any).ResourcePolicy.Statement as any[];
    const roleOf = (name: FunctionName) => props(portal.functionLogicalIds.get(name)!).Role['Fn::GetAtt'][0];
    // CDK merges statements that differ only by principal, so read every principal of every statement.
    const readers = statements.flatMap((statement) => {
      expect(statement).toMatchObject({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: secretId } });
      return [statement.Principal.AWS].flat().map((principal: { 'Fn::GetAtt': [string] }) => principal['Fn::GetAtt'][0]);
    });
    expect(readers.sort()).toEqual(listFunctions.map(roleOf).sort());
    expect(ofType(portal.codeResources, 'AWS::SecretsManager::Secret')).toHaveLength(1);
  });
});
