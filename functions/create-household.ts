import { dynamoIdempotency } from '#lib/adapters/dynamodb/idempotency.ts';
import { hmacAccountHasher } from '#lib/adapters/account-hasher.ts';
import { dynamoHouseholds } from '#lib/adapters/dynamodb/households.ts';
import { created } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { createHouseholdBody } from '#lib/schemas/households.ts';
import { createHousehold } from '#lib/use-cases/create-household.ts';

const deps = { households: dynamoHouseholds, hasher: hmacAccountHasher, now: () => new Date() };

export const handler = httpRoute({
  idempotency: dynamoIdempotency,
  group: 'advisors',
  body: createHouseholdBody,
  run: async ({ caller, body, marker }) => created({ household: await createHousehold(deps, caller, body, marker) }),
});
