// Every policy statement of a template, wherever it sits: IAM policies, roles, queue/topic policies, key policies.
import type { Resources } from './synth.ts';

export interface FoundStatement {
  logicalId: string;
  resourceType: string;
  statement: {
    Effect: 'Allow' | 'Deny';
    Action?: string | string[];
    Resource?: unknown;
    Principal?: unknown;
    Condition?: unknown;
  };
}

const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

export const actionsOf = (found: FoundStatement): string[] => asList(found.statement.Action);
export const resourcesOf = (found: FoundStatement): unknown[] => asList(found.statement.Resource);

export const allStatements = (resources: Resources): FoundStatement[] => {
  const found: FoundStatement[] = [];
  const walk = (value: unknown, logicalId: string, resourceType: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item) => walk(item, logicalId, resourceType));
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if (Array.isArray(record.Statement)) {
      for (const statement of record.Statement) found.push({ logicalId, resourceType, statement });
    }
    Object.values(record).forEach((child) => walk(child, logicalId, resourceType));
  };
  for (const [logicalId, resource] of Object.entries(resources)) walk(resource.Properties, logicalId, resource.Type);
  return found;
};

/** `*`, or a whole service such as `sqs:*`. Partial names (`kms:GenerateDataKey*`) are caught separately. */
export const isWildcardAction = (action: string): boolean => action === '*' || /^[a-z0-9-]+:\*$/i.test(action);

/** Statements of the IAM policies attached to one role (its DefaultPolicy and any inline policies). */
export const roleStatements = (resources: Resources, roleLogicalId: string): FoundStatement[] =>
  allStatements(
    Object.fromEntries(
      Object.entries(resources).filter(
        ([id, resource]) =>
          (resource.Type === 'AWS::IAM::Policy' && JSON.stringify(resource.Properties?.Roles).includes(roleLogicalId)) ||
          (resource.Type === 'AWS::IAM::Role' && id === roleLogicalId),
      ),
    ),
  ).filter((found) => found.resourceType === 'AWS::IAM::Policy' || !actionsOf(found).includes('sts:AssumeRole'));
