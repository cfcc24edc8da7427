// Requests about households. Response shapes live in views.ts, which only the OpenAPI document loads.
import * as z from 'zod/mini';
import { maxAccountsPerHousehold } from '../domain/household.ts';
import { email, id, listQueryEntries, personName, pure, stopWith, text } from './common.ts';

// Digits and letters only once spaces and dashes are gone; long enough for IBAN-like numbers. At least 6, so the
// last four kept for display never are the whole number.
// A pipe, not an overwrite: the OpenAPI document then shows what a client may send, not the normalized form.
export const accountNumber = /* @__PURE__ */ pure(() =>
  z.pipe(
    z.pipe(z.string().check(z.maxLength(64, stopWith('must be at most 64 characters'))), z.transform((value: string) => value.replace(/[\s-]/g, '').toUpperCase())),
    z.string().check(z.regex(/^[A-Z0-9]{6,34}$/, stopWith('must be 6 to 34 letters or digits'))),
  ),
);

export const memberRole = /* @__PURE__ */ pure(() => z.enum(['primary', 'spouse', 'dependent', 'other']));

export const newMember = /* @__PURE__ */ pure(() =>
  z.strictObject({
    firstName: personName,
    lastName: personName,
    email: z.optional(email),
    role: memberRole,
  }),
);

export const newAccount = /* @__PURE__ */ pure(() =>
  z.strictObject({
    accountNumber,
    custodian: z.optional(text(100)),
  }),
);

const members = /* @__PURE__ */ pure(() => z.array(newMember).check(z.maxLength(20, stopWith('must list at most 20 members'))));
const accounts = /* @__PURE__ */ pure(() =>
  z.array(newAccount).check(z.maxLength(maxAccountsPerHousehold, stopWith(`must list at most ${maxAccountsPerHousehold} accounts`))),
);

export const createHouseholdBody = /* @__PURE__ */ pure(() =>
  z
    .strictObject({
      name: text(200),
      members: z.prefault(members, () => []),
      accounts: z.prefault(accounts, () => []),
    })
    .check(
      z.superRefine(
        ({ accounts: listed }, ctx) => {
          const seen = new Set<string>();
          listed.forEach(({ accountNumber: number }, index) => {
            if (seen.has(number)) ctx.addIssue({ code: 'custom', message: 'is listed twice', path: ['accounts', index, 'accountNumber'], input: number });
            seen.add(number);
          });
        },
        // Only once the body has no other issue (not even an unknown key), so numbers are compared as normalized.
        { when: (payload) => payload.issues.length === 0 },
      ),
    ),
);

export const householdStatus = /* @__PURE__ */ pure(() => z.enum(['prospect', 'client']));

export const listHouseholdsQuery = /* @__PURE__ */ pure(() => z.strictObject({ ...listQueryEntries, status: z.optional(householdStatus) }));

export const householdParams = /* @__PURE__ */ pure(() => z.object({ householdId: id }));

export type CreateHouseholdInput = z.output<typeof createHouseholdBody>;
export type NewAccount = z.output<typeof newAccount>;
export type HouseholdStatus = z.output<typeof householdStatus>;
