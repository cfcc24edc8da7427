import { dynamoIdempotency } from '#lib/adapters/dynamodb/idempotency.ts';
import { hmacAccountHasher } from '#lib/adapters/account-hasher.ts';
import { dynamoHouseholds } from '#lib/adapters/dynamodb/households.ts';
import { created } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { householdParams, newAccount } from '#lib/schemas/households.ts';
import { linkAccount } from '#lib/use-cases/link-account.ts';

const deps = { households: dynamoHouseholds, hasher: hmacAccountHasher, now: () => new Date() };

export const handler = httpRoute({
  idempotency: dynamoIdempotency,
  group: 'advisors',
  params: householdParams,
  body: newAccount,
  run: async ({ caller, params, body }) =>
    created({ household: await linkAccount(deps, caller, params.householdId, body) }),
});
