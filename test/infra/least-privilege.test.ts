// The synthesized IAM policies and route throttles, read as an attacker who holds one function's role would read
// them: which items of the table it may write, which keys it may use, and whose budget a flood of links spends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiThrottles } from '../../infra/cdk/settings.ts';
import { functions, needsJwt, routes, type FunctionName } from '../../infra/routes.ts';
import { allows, synthesizeRoles, type SynthesizedRoles } from './link-policy.ts';
import { actionsOf, allStatements, roleStatements } from './policy-statements.ts';
import type { Resources } from './synth.ts';

let synthesized: SynthesizedRoles;
let resources: Resources;
let roles: SynthesizedRoles['roles'];
beforeAll(() => {
  synthesized = synthesizeRoles();
  ({ resources, roles } = synthesized);
}, 240_000);
afterAll(() => synthesized?.cleanUp());

const tableStatements = (name: FunctionName) => synthesized.tableStatements(name);

const linkRouteFunctions = [...new Set(routes.filter((route) => route.access === 'invitation').map((route) => route.function))];

// Any household's partition: `#HH#` and a UUID at the end, so no ticket, list or request record can match.
const HH = 'FIRM#*#HH#????????-????-????-????-????????????';
const household = 'FIRM#f1#HH#01a23670-2057-76b3-8ebe-3fbae56bcfea';
const uuid = '01a23670-2057-76b3-8ebe-3fbae56bcfea';

// What each link route may do, per action, by partition-key prefix: the whole grant, written out.
const linkGrants: Partial<Record<FunctionName, Record<string, string[]>>> = {
  'view-invitation': { 'dynamodb:GetItem': [HH, 'THROTTLE#*', 'TOKEN#*'], 'dynamodb:UpdateItem': ['THROTTLE#*'] },
  'invite-page': { 'dynamodb:GetItem': [HH, 'THROTTLE#*', 'TOKEN#*'], 'dynamodb:UpdateItem': ['THROTTLE#*'] },
  'verify-identity': {
    'dynamodb:GetItem': [HH, 'IDEMPOTENCY#link#*', 'THROTTLE#*', 'TOKEN#*'],
    'dynamodb:UpdateItem': [HH, 'IDEMPOTENCY#link#*', 'THROTTLE#*'],
    'dynamodb:PutItem': [HH, 'IDEMPOTENCY#link#*'],
    'dynamodb:DeleteItem': ['IDEMPOTENCY#link#*'],
  },
  // Accepting files the client's portal access (CLIENT#) and, from the portal's own page, starts their session.
  'accept-invitation': {
    'dynamodb:GetItem': ['CLIENT#*', HH, 'IDEMPOTENCY#link#*', 'PORTAL_SESSION#*', 'THROTTLE#*', 'TOKEN#*'],
    'dynamodb:UpdateItem': [HH, 'IDEMPOTENCY#link#*', 'THROTTLE#*'],
    'dynamodb:PutItem': ['CLIENT#*', HH, 'IDEMPOTENCY#link#*', 'PORTAL_SESSION#*'],
    'dynamodb:DeleteItem': [HH, 'IDEMPOTENCY#link#*'],
  },
  'invite-page-action': {
    'dynamodb:GetItem': ['CLIENT#*', HH, 'PORTAL_SESSION#*', 'THROTTLE#*', 'TOKEN#*'],
    'dynamodb:UpdateItem': [HH, 'THROTTLE#*'],
    'dynamodb:PutItem': ['CLIENT#*', HH, 'PORTAL_SESSION#*'],
    'dynamodb:DeleteItem': [HH],
  },
};

describe('link routes (the token in the path is the only credential)', () => {
  it('are the five functions with a written-out grant', () => {
    expect(linkRouteFunctions.sort()).toEqual(Object.keys(linkGrants).sort());
  });

  it('each get exactly their actions, on the table only (no index), each bound to partition-key prefixes', () => {
    for (const name of linkRouteFunctions) {
      const granted: Record<string, string[]> = {};
      for (const found of tableStatements(name)) {
        expect(JSON.stringify(found.statement.Resource), name).not.toContain('/index/');
        const condition = found.statement.Condition as Record<string, Record<string, string[]>>;
        expect(Object.keys(condition ?? {}), `${name} ${actionsOf(found)}`).toEqual(['ForAllValues:StringLike']);
        for (const action of actionsOf(found)) {
          granted[action] = [...(granted[action] ?? []), ...condition['ForAllValues:StringLike']!['dynamodb:LeadingKeys']!].sort();
        }
      }
      expect(granted, name).toEqual(linkGrants[name]);
    }
  });

  it('can never write a ticket, a firm list, a link pointer, the outbox or a staff idempotency claim', () => {
    const forbidden = [
      `TICKET#${uuid}`, `FIRM#f1#HH#x#TICKET#${uuid}`, 'FIRM#f1#TICKETS#open', 'TICKETS#open#3', 'FIRM#f1#HOUSEHOLDS#prospect',
      'TOKEN#abc', 'OUTBOX', 'IDEMPOTENCY#f1#sub1#k',
    ];
    for (const name of linkRouteFunctions) {
      const statements = tableStatements(name);
      for (const action of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']) {
        for (const key of forbidden) expect(allows(statements, action, key), `${name} ${action} ${key}`).toBe(false);
      }
      expect(allows(statements, 'dynamodb:Query', 'FIRM#f1#HOUSEHOLDS'), `${name} lists`).toBe(false);
      expect(allows(statements, 'dynamodb:GetItem', `TICKET#${uuid}`), `${name} reads a ticket`).toBe(false);
      expect(allows(statements, 'dynamodb:GetItem', household), `${name} reads its household`).toBe(true);
    }
  });

  it('that only show a link never put, update or delete a household item', () => {
    for (const name of ['view-invitation', 'invite-page'] as const) {
      const statements = tableStatements(name);
      for (const action of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']) {
        expect(allows(statements, action, household), `${name} ${action}`).toBe(false);
      }
      expect(allows(statements, 'dynamodb:UpdateItem', 'THROTTLE#abc#600#1'), `${name} counts a dead link`).toBe(true);
    }
    // Verifying may raise a ticket request but never delete; accepting may drop its lock; both put their audit event.
    expect(allows(tableStatements('verify-identity'), 'dynamodb:DeleteItem', household)).toBe(false);
    expect(allows(tableStatements('verify-identity'), 'dynamodb:PutItem', household)).toBe(true);
    expect(allows(tableStatements('accept-invitation'), 'dynamodb:PutItem', household)).toBe(true);
    expect(allows(tableStatements('accept-invitation'), 'dynamodb:DeleteItem', household)).toBe(true);
  });
});

describe('every role', () => {
  it('has no table action the code never calls: no Batch*, Scan or PartiQL', () => {
    const called = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'];
    for (const name of Object.keys(functions) as FunctionName[]) {
      const actions = tableStatements(name).flatMap(actionsOf);
      expect(actions.filter((action) => !called.includes(action)), name).toEqual([]);
    }
  });

  it('uses the data key only through the one service each statement names (kms:ViaService), the queue consumer too', () => {
    const kms = allStatements(resources).filter(
      (found) => found.resourceType === 'AWS::IAM::Policy' && actionsOf(found).some((action) => action.startsWith('kms:')),
    );
    expect(kms.length).toBeGreaterThan(0);
    const unbound = kms.filter((found) => !JSON.stringify(found.statement.Condition ?? {}).includes('kms:ViaService'));
    expect(unbound.map((found) => `${found.logicalId} ${actionsOf(found).join(',')}`)).toEqual([]);
    const consumer = roleStatements(resources, roles.get('raise-verification-tickets')!);
    expect(consumer.filter((found) => actionsOf(found).some((action) => action.startsWith('sqs:'))).flatMap(actionsOf).sort()).toEqual(
      ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'],
    );
    const queueKey = consumer.find((found) => JSON.stringify(found.statement.Condition ?? {}).includes('sqs.us-east-1.amazonaws.com'));
    expect(actionsOf(queueKey!)).toEqual(['kms:Decrypt']);
  });
});

describe('route throttles', () => {
  const stage = () => Object.values(resources).find((resource) => resource.Type === 'AWS::ApiGatewayV2::Stage')! as { Properties: any; DependsOn?: string[] };

  it('give every route its own budget: anonymous routes a small one, staff routes the stage default each', () => {
    const settings = stage().Properties.RouteSettings as Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
    expect(Object.keys(settings ?? {}).sort()).toEqual(routes.map((route) => `${route.method} ${route.path}`).sort());
    for (const route of routes) {
      const expected = needsJwt(route) ? apiThrottles.staffRoute : apiThrottles.anonymousRoute;
      expect(settings[`${route.method} ${route.path}`], `${route.method} ${route.path}`).toEqual({
        ThrottlingRateLimit: expected.rateLimit,
        ThrottlingBurstLimit: expected.burstLimit,
      });
    }
    expect(apiThrottles.anonymousRoute.rateLimit).toBeLessThan(apiThrottles.staffRoute.rateLimit);
    expect(stage().Properties.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: apiThrottles.stageDefault.rateLimit });
  });

  it('are deployed after the routes they name', () => {
    const routeIds = Object.entries(resources).filter(([, resource]) => resource.Type === 'AWS::ApiGatewayV2::Route').map(([id]) => id);
    expect(routeIds).toHaveLength(routes.length);
    expect(stage().DependsOn ?? []).toEqual(expect.arrayContaining(routeIds));
  });
});
