// zod/mini, imported as a namespace: functions instead of methods, so esbuild keeps only the checks used.
import * as z from 'zod/mini';
import { email, id, listQuery, personName, text } from './common.ts';

// Digits and letters only once spaces and dashes are gone; long enough for IBAN-like numbers.
export const accountNumber = z.pipe(
  z.pipe(
    z.string().check(z.maxLength(64, 'must be at most 64 characters')),
    z.transform((value: string) => value.replace(/[\s-]/g, '').toUpperCase()),
  ),
  z.string().check(z.regex(/^[A-Z0-9]{4,34}$/, 'must be 4 to 34 letters or digits')),
);

export const memberRole = z.enum(['primary', 'spouse', 'dependent', 'other']);

export const newMember = z.strictObject({
  firstName: personName,
  lastName: personName,
  email: z.optional(email),
  role: memberRole,
});

export const newAccount = z.strictObject({
  accountNumber,
  custodian: z.optional(text(100)),
});

export const createHouseholdBody = z
  .strictObject({
    name: text(200),
    members: z._default(z.array(newMember).check(z.maxLength(20)), []),
    accounts: z._default(z.array(newAccount).check(z.maxLength(50)), []),
  })
  .check(
    z.superRefine((body, ctx) => {
      const seen = new Set<string>();
      body.accounts.forEach((account, index) => {
        if (seen.has(account.accountNumber)) {
          ctx.addIssue({ code: 'custom', path: ['accounts', index, 'accountNumber'], message: 'is listed twice' });
        }
        seen.add(account.accountNumber);
      });
    }),
  );

export const householdStatus = z.enum(['prospect', 'client']);

export const listHouseholdsQuery = z.extend(listQuery, { status: z.optional(householdStatus) });

export const householdParams = z.object({ householdId: id });

export const householdView = z.object({
  householdId: id,
  name: z.string(),
  status: householdStatus,
  members: z.array(
    z.object({
      memberId: id,
      firstName: z.string(),
      lastName: z.string(),
      email: z.optional(z.string()),
      role: memberRole,
    }),
  ),
  accounts: z.array(z.object({ accountId: id, last4: z.string(), custodian: z.optional(z.string()) })),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const householdResponse = z.object({ household: householdView });

export type CreateHouseholdInput = z.output<typeof createHouseholdBody>;
export type NewAccount = z.output<typeof newAccount>;
export type HouseholdView = z.output<typeof householdView>;
export type HouseholdStatus = z.output<typeof householdStatus>;
