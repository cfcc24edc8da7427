import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listQuery, noBody } from '../../lib/schemas/common.ts';
import { createHouseholdBody, householdParams, listHouseholdsQuery, newAccount } from '../../lib/schemas/households.ts';
import {
  approveBody,
  createInvitationBody,
  invitationParams,
  listTicketsQuery,
  rejectBody,
  ticketParams,
  ticketRequestMessage,
  tokenParams,
  verifyBody,
} from '../../lib/schemas/invitations.ts';
import { check, type Schema } from '../../lib/schemas/validate.ts';

const schemas: Record<string, Schema> = {
  createHouseholdBody, newAccount, listHouseholdsQuery, householdParams, createInvitationBody, invitationParams, tokenParams,
  verifyBody, listTicketsQuery, ticketParams, approveBody, rejectBody, ticketRequestMessage, listQuery, noBody,
};

// Every message a person can get: the schemas' own, and the error map's wording for the rest.
const known = /^(is required|is not a known field|is listed twice|must be (a string|a number|an object|an array|1|one of .+|an email address|a UUIDv7|6 to 34 letters or digits|an ISO 8601 timestamp|a whole number of days|a whole number from 1 to 100|at least 1|at most \d+( characters)?)|must not be empty|must not contain control characters|must list at most \d+ (members|accounts)|is not valid \(expected [<>]=\d+\))$/;

// Near-miss values: the right keys with hostile or wrong-typed values, so the checks past the type are reached.
const keys = ['name', 'members', 'accounts', 'accountNumber', 'custodian', 'firstName', 'lastName', 'email', 'role', 'expiresInDays', 'limit', 'cursor', 'status', 'token', 'householdId', 'invitationId', 'ticketId', 'note', 'reason', 'version', 'client', '__proto__', 'constructor'];
const leaf = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('primary', 'client', 'a@firm.com', '1234-5678', '25', '0'));
const value = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: 'small' }, leaf, tie('list'), tie('object')),
  list: fc.array(tie('any'), { maxLength: 25 }),
  object: fc.dictionary(fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 8 })), tie('any'), { maxKeys: 8 }),
})).any;

describe('every request schema, on any JSON', () => {
  it('answers without throwing: at most 20 details, one per path, each worded from the known set', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(schemas)), value, (name, input) => {
        const result = check(schemas[name]!, input);
        if (result.success) return;
        expect(result.details.length).toBeGreaterThan(0);
        expect(result.details.length).toBeLessThanOrEqual(20);
        expect(new Set(result.details.map((d) => d.path)).size).toBe(result.details.length);
        for (const detail of result.details) expect(detail.message, `${name} ${detail.path}`).toMatch(known);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 1000) },
    );
  });
});
