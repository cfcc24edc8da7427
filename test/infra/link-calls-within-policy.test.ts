// The link routes' narrow grants must still cover what their code really does: every DynamoDB call each link
// function makes while clients view, verify (right, wrong, locked out) and accept on a real local stack is checked
// against that function's synthesized policy, and each write the policy grants is seen used.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes, type FunctionName } from '../../infra/routes.ts';
import { documents } from '../../lib/adapters/dynamodb/client.ts';
import { newFirm, tokenFor } from '../support/api.ts';
import { linkIn, uniqueEmail, waitForMail } from '../support/mail.ts';
import { startOwnStack, type OwnStack } from '../support/own-stack.ts';
import { allows, like, synthesizeRoles, type SynthesizedRoles } from './link-policy.ts';
import { actionsOf } from './policy-statements.ts';

interface TableCall {
  fn: FunctionName;
  action: string;
  partitionKey: string;
  index?: string;
}

const itemActions: Record<string, string> = {
  Get: 'dynamodb:GetItem', Put: 'dynamodb:PutItem', Update: 'dynamodb:UpdateItem', Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem', Query: 'dynamodb:Query', Scan: 'dynamodb:Scan',
  BatchGet: 'dynamodb:BatchGetItem', BatchWrite: 'dynamodb:BatchWriteItem',
};

/** The document client's commands reach this stack under either name (PutCommand, PutItemCommand), marshalled or not. */
const plain = (value: unknown): string => (typeof value === 'object' && value !== null && 'S' in value ? String((value as { S: unknown }).S) : String(value));

const callsOf = (commandName: string, input: Record<string, any>): Omit<TableCall, 'fn'>[] => {
  const kind = commandName.replace(/(Item)?Command$/, '').replace(/Items$/, '');
  if (kind === 'TransactWrite') {
    return (input.TransactItems as Record<string, any>[]).flatMap((item) =>
      Object.entries(item).map(([part, entry]) => ({ action: itemActions[part]!, partitionKey: plain((entry.Key ?? entry.Item).pk) })),
    );
  }
  if (kind === 'Query') {
    const values = input.ExpressionAttributeValues as Record<string, unknown>;
    return [{ action: itemActions.Query!, partitionKey: plain(values[':pk'] ?? Object.values(values)[0]), index: input.IndexName }];
  }
  const key = input.Key ?? input.Item;
  return [{ action: itemActions[kind] ?? `dynamodb:${kind}`, partitionKey: key ? plain(key.pk) : '(none)' }];
};

let own: OwnStack;
let synthesized: SynthesizedRoles;
const calls: TableCall[] = [];
let current: FunctionName | undefined;

/** One client request, with every table call it makes put down to the function its route runs. */
const asClient = async (method: string, path: string, options: Parameters<OwnStack['api']>[2] = {}) => {
  const route = routes.find((r) => r.method === method && new RegExp(`^${r.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(path));
  current = route!.function;
  try {
    return await own.api(method, path, options);
  } finally {
    current = undefined;
  }
};

const form = (body: string) => ({ rawBody: body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });

beforeAll(async () => {
  synthesized = synthesizeRoles();
  own = await startOwnStack();
  documents.middlewareStack.add(
    (next, context) => async (args) => {
      if (current !== undefined) {
        for (const call of callsOf(String(context.commandName), args.input as Record<string, any>)) calls.push({ fn: current, ...call });
      }
      return next(args);
    },
    { step: 'initialize', name: 'recordLinkTableCalls' },
  );

  const firm = newFirm();
  const advisor = await tokenFor('advisor', firm);
  const household = await own.api('POST', '/households', { token: advisor, body: { name: 'Scoped', accounts: [{ accountNumber: '12345678' }] } });
  const householdId = household.body.household.householdId as string;
  const tokens: string[] = [];
  for (const label of ['json', 'json-locked', 'locked', 'page']) {
    const email = uniqueEmail(label);
    await own.api('POST', `/households/${householdId}/invitations`, { token: advisor, body: { firstName: 'Sc', lastName: 'Oped', email } });
    tokens.push(linkIn((await waitForMail(email, 1, own.stack.mailUrl))[0]).token);
  }
  const [json, jsonLocked, locked, page] = tokens as [string, string, string, string];
  const dead = randomBytes(32).toString('base64url');
  // The lock's ticket request stays in the outbox, so the ops function never runs inside a recorded request.
  await own.stack.stopService('sqs');

  await asClient('GET', `/portal/invitations/${json}`);
  await asClient('GET', `/portal/invitations/${dead}`);
  await asClient('GET', `/invite/${json}`);
  await asClient('HEAD', `/invite/${json}`);
  await asClient('GET', `/invite/${dead}`);
  await asClient('POST', `/portal/invitations/${json}/accept`, { headers: { 'idempotency-key': 'accept-early' } });
  await asClient('POST', `/portal/invitations/${dead}/accept`, { headers: { 'idempotency-key': 'accept-dead' } });
  await asClient('POST', `/portal/invitations/${json}/verify`, { body: { accountNumber: '99999999' }, headers: { 'idempotency-key': 'wrong-1' } });
  await asClient('POST', `/portal/invitations/${json}/verify`, { body: { accountNumber: '12345678' }, headers: { 'idempotency-key': 'right-1' } });
  // From the portal's own origin, as a browser's page would post it: accepting then signs in, a session write.
  await asClient('POST', `/portal/invitations/${json}/accept`, { headers: { 'idempotency-key': 'accept-1', origin: own.stack.apiUrl } });
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const body = { accountNumber: `9999999${attempt}` };
    await asClient('POST', `/portal/invitations/${jsonLocked}/verify`, { body, headers: { 'idempotency-key': `lock-${attempt}` } });
    await asClient('POST', `/invite/${locked}/verify`, form(`accountNumber=9999999${attempt}`));
  }
  await asClient('POST', `/invite/${page}/verify`, form('accountNumber=12345678'));
  await asClient('POST', `/invite/${page}/accept`, { rawBody: '', headers: { ...form('').headers, 'sec-fetch-site': 'same-origin' } });
}, 240_000);

afterAll(async () => {
  await own?.stop();
  synthesized?.cleanUp();
});

describe('link routes on a real stack', () => {
  const linkFunctions = [...new Set(routes.filter((route) => route.access === 'invitation').map((route) => route.function))];

  it('make only table calls their own policy allows', () => {
    expect(new Set(calls.map((call) => call.fn))).toEqual(new Set(linkFunctions));
    const refused = calls.filter((call) => !allows(synthesized.tableStatements(call.fn), call.action, call.partitionKey, call.index));
    expect(refused).toEqual([]);
  });

  it('use every write their policy grants, so none is granted for nothing', () => {
    for (const fn of linkFunctions) {
      for (const found of synthesized.tableStatements(fn)) {
        const prefixes = (found.statement.Condition as Record<string, Record<string, string[]>>)['ForAllValues:StringLike']!['dynamodb:LeadingKeys']!;
        for (const action of actionsOf(found).filter((a) => a !== 'dynamodb:GetItem')) {
          for (const prefix of prefixes) {
            const used = calls.some((call) => call.fn === fn && call.action === action && like(prefix, call.partitionKey));
            expect(used, `${fn} ${action} ${prefix}`).toBe(true);
          }
        }
      }
    }
  });
});
