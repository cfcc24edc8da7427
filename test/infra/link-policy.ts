// The stateless stack synthesized without bundling (policies do not depend on the bundles), and a small evaluator
// of the DynamoDB item statements a role holds: enough to ask "may this role make this call on this key?".
import type { FunctionName } from '../../infra/routes.ts';
import { actionsOf, roleStatements, type FoundStatement } from './policy-statements.ts';
import { synthesizePortal, type Resources } from './synth.ts';

export interface SynthesizedRoles {
  resources: Resources;
  /** Each catalog function's role, by logical id. */
  roles: Map<FunctionName, string>;
  tableStatements(name: FunctionName): FoundStatement[];
  cleanUp(): void;
}

export const synthesizeRoles = (): SynthesizedRoles => {
  const { codeResources: resources, functionLogicalIds, cleanUp } = synthesizePortal();
  const roles = new Map<FunctionName, string>();
  for (const [name, logicalId] of functionLogicalIds) {
    roles.set(name, (resources[logicalId]!.Properties as { Role: { 'Fn::GetAtt': string[] } }).Role['Fn::GetAtt'][0]!);
  }
  return {
    resources,
    roles,
    tableStatements: (name) =>
      roleStatements(resources, roles.get(name)!).filter((found) => actionsOf(found).some((action) => action.startsWith('dynamodb:'))),
    cleanUp,
  };
};

/** IAM's StringLike: `*` is any run of characters, `?` any one. */
export const like = (pattern: string, value: string): boolean =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(value);

/**
 * Whether an item call on the table itself (not an index) with this partition key is allowed by any statement.
 * Only the condition these roles use is understood; any other condition counts as a refusal.
 */
export const allows = (statements: FoundStatement[], action: string, partitionKey: string, index?: string): boolean =>
  statements.some((found) => {
    if (found.statement.Effect !== 'Allow' || !actionsOf(found).includes(action)) return false;
    const onIndex = JSON.stringify(found.statement.Resource).includes(`/index/${index}"`);
    if (index !== undefined && !onIndex) return false;
    const condition = found.statement.Condition as Record<string, Record<string, string[]>> | undefined;
    if (condition === undefined) return true;
    const keys = Object.keys(condition);
    if (keys.length !== 1 || keys[0] !== 'ForAllValues:StringLike') return false;
    return (condition['ForAllValues:StringLike']!['dynamodb:LeadingKeys'] ?? []).some((pattern) => like(pattern, partitionKey));
  });
