import { cursorKeySecret } from '#lib/adapters/cursor-key-secret.ts';
import { signCursorsWith } from '#lib/adapters/dynamodb/cursor.ts';
import { dynamoHouseholds } from '#lib/adapters/dynamodb/households.ts';
import { ok } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { listHouseholdsQuery } from '#lib/schemas/households.ts';
import { listHouseholds } from '#lib/use-cases/list-households.ts';

signCursorsWith(cursorKeySecret);

export const handler = httpRoute({
  group: 'advisors',
  query: listHouseholdsQuery,
  run: async ({ caller, query }) => ok(await listHouseholds({ households: dynamoHouseholds }, caller, query)),
});
