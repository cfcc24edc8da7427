// The lifecycle events' bus as deployed: retained with the data, archived for replay, and written to
// only by the functions that publish, each allowed events:PutEvents on that one bus and nothing else of EventBridge.
import { describe, expect, it } from 'vitest';
import { archiveRetentionDays } from '../../infra/cdk/lifecycle-events.ts';
import { functions, type FunctionName, type FunctionSpec } from '../../infra/routes.ts';
import { envNames } from '../../lib/config.ts';
import { lifecycleEventSource } from '../../lib/schemas/events.ts';
import { actionsOf, resourcesOf, roleStatements } from './policy-statements.ts';
import { refersTo, single, useSynthesizedPortal, type CfnResource } from './synth.ts';

const portal = useSynthesizedPortal();

const props = (resource: CfnResource) => resource.Properties as Record<string, any>;
const catalog = Object.entries(functions) as [FunctionName, FunctionSpec][];
const functionResource = (name: FunctionName): CfnResource => portal.codeResources[portal.functionLogicalIds.get(name)!]!;
const eventStatements = (name: FunctionName) =>
  roleStatements(portal.codeResources, props(functionResource(name)).Role['Fn::GetAtt'][0]).filter((found) =>
    actionsOf(found).some((action) => action.startsWith('events:')),
  );

describe('the lifecycle events bus', () => {
  it('is a retained bus with a retained archive of every event for a year', () => {
    const [busId, bus] = single(portal.dataResources, 'AWS::Events::EventBus');
    expect(bus.DeletionPolicy).toBe('Retain');
    const [, archive] = single(portal.dataResources, 'AWS::Events::Archive');
    expect(archive.DeletionPolicy).toBe('Retain');
    expect(refersTo(props(archive).SourceArn, busId)).toBe(true);
    expect(props(archive).RetentionDays).toBe(archiveRetentionDays);
    expect(props(archive).EventPattern).toEqual({ source: [lifecycleEventSource] });
  });

  it('is published to by exactly the functions with the eventBus need: PutEvents on this bus only, its name in their environment', () => {
    const [busId] = single(portal.dataResources, 'AWS::Events::EventBus');
    for (const [name, spec] of catalog) {
      const statements = eventStatements(name);
      const variables = props(functionResource(name)).Environment?.Variables ?? {};
      if (!('eventBus' in spec.needs)) {
        expect(statements, name).toEqual([]);
        expect(variables, name).not.toHaveProperty(envNames.eventBusName);
        continue;
      }
      expect(statements.flatMap(actionsOf), name).toEqual(['events:PutEvents']);
      expect(statements.flatMap(resourcesOf).every((resource) => refersTo(resource, busId)), name).toBe(true);
      expect(variables[envNames.eventBusName], name).toBeDefined();
      expect(variables, name).not.toHaveProperty(envNames.eventTopicArn);
    }
  });
});
