// Requests about households. Response shapes live in views.ts, which only the OpenAPI document loads.
import * as v from 'valibot';
import { maxAccountsPerHousehold } from '../domain/household.ts';
import { email, id, listQueryEntries, personName, text } from './common.ts';

// Digits and letters only once spaces and dashes are gone; long enough for IBAN-like numbers. At least 6, so the
// last four kept for display never are the whole number.
export const accountNumber = v.pipe(
  v.string(),
  v.maxLength(64, 'must be at most 64 characters'),
  v.transform((value: string) => value.replace(/[\s-]/g, '').toUpperCase()),
  v.regex(/^[A-Z0-9]{6,34}$/, 'must be 6 to 34 letters or digits'),
);

export const memberRole = v.picklist(['primary', 'spouse', 'dependent', 'other']);

export const newMember = v.strictObject({
  firstName: personName,
  lastName: personName,
  email: v.optional(email),
  role: memberRole,
});

export const newAccount = v.strictObject({
  accountNumber,
  custodian: v.optional(text(100)),
});

/** Where a duplicate sits, in the path form valibot's issues use. */
const accountNumberAt = (accounts: unknown[], index: number, account: { accountNumber: string }, body: unknown) => [
  { type: 'object', origin: 'value', input: body, key: 'accounts', value: accounts } as const,
  { type: 'array', origin: 'value', input: accounts, key: index, value: account } as const,
  { type: 'object', origin: 'value', input: account, key: 'accountNumber', value: account.accountNumber } as const,
];

export const createHouseholdBody = v.pipe(
  v.strictObject({
    name: text(200),
    members: v.optional(v.pipe(v.array(newMember), v.maxLength(20, 'must list at most 20 members')), []),
    accounts: v.optional(v.pipe(v.array(newAccount), v.maxLength(maxAccountsPerHousehold, `must list at most ${maxAccountsPerHousehold} accounts`)), []),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const seen = new Set<string>();
    const { accounts } = dataset.value;
    accounts.forEach((account, index) => {
      if (seen.has(account.accountNumber)) {
        addIssue({ message: 'is listed twice', path: accountNumberAt(accounts, index, account, dataset.value) as never });
      }
      seen.add(account.accountNumber);
    });
  }),
);

export const householdStatus = v.picklist(['prospect', 'client']);

export const listHouseholdsQuery = v.strictObject({ ...listQueryEntries, status: v.optional(householdStatus) });

export const householdParams = v.object({ householdId: id });

export type CreateHouseholdInput = v.InferOutput<typeof createHouseholdBody>;
export type NewAccount = v.InferOutput<typeof newAccount>;
export type HouseholdStatus = v.InferOutput<typeof householdStatus>;
