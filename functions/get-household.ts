import { dynamoHouseholds } from '#lib/adapters/dynamodb/households.ts';
import { ok } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { householdParams } from '#lib/schemas/households.ts';
import { getHousehold } from '#lib/use-cases/get-household.ts';

export const handler = httpRoute({
  group: 'advisors',
  params: householdParams,
  run: async ({ caller, params }) =>
    ok({ household: await getHousehold({ households: dynamoHouseholds }, caller, params.householdId) }),
});
