import { cursorKeySecret } from '#lib/adapters/cursor-key-secret.ts';
import { signCursorsWith } from '#lib/adapters/dynamodb/cursor.ts';
import { dynamoHouseholds } from '#lib/adapters/dynamodb/households.ts';
import { dynamoInvitations } from '#lib/adapters/dynamodb/invitations.ts';
import { ok } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { listQuery } from '#lib/schemas/common.ts';
import { householdParams } from '#lib/schemas/households.ts';
import { listInvitations } from '#lib/use-cases/list-invitations.ts';

signCursorsWith(cursorKeySecret);

const deps = { households: dynamoHouseholds, invitations: dynamoInvitations, now: () => new Date() };

export const handler = httpRoute({
  group: 'advisors',
  params: householdParams,
  query: listQuery,
  run: async ({ caller, params, query }) => ok(await listInvitations(deps, caller, params.householdId, query)),
});
