// A namespace import lets esbuild drop the parts of zod no schema uses (`import { z }` keeps all 440 KB).
import * as z from 'zod';
import { email, id, listQuery, personName, text } from './common.ts';

// Digits and letters only once spaces and dashes are gone; long enough for IBAN-like numbers.
export const accountNumber = z
  .string()
  .max(64, 'must be at most 64 characters')
  .transform((value) => value.replace(/[\s-]/g, '').toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9]{4,34}$/, 'must be 4 to 34 letters or digits'));

export const memberRole = z.enum(['primary', 'spouse', 'dependent', 'other']);

export const newMember = z.strictObject({
  firstName: personName,
  lastName: personName,
  email: email.optional(),
  role: memberRole,
});

export const newAccount = z.strictObject({
  accountNumber,
  custodian: text(100).optional(),
});

export const createHouseholdBody = z
  .strictObject({
    name: text(200),
    members: z.array(newMember).max(20).default([]),
    accounts: z.array(newAccount).max(50).default([]),
  })
  .superRefine((body, ctx) => {
    const seen = new Set<string>();
    body.accounts.forEach((account, index) => {
      if (seen.has(account.accountNumber)) {
        ctx.addIssue({ code: 'custom', path: ['accounts', index, 'accountNumber'], message: 'is listed twice' });
      }
      seen.add(account.accountNumber);
    });
  });

export const householdStatus = z.enum(['prospect', 'client']);

export const listHouseholdsQuery = listQuery.extend({ status: householdStatus.optional() });

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
      email: z.string().optional(),
      role: memberRole,
    }),
  ),
  accounts: z.array(z.object({ accountId: id, last4: z.string(), custodian: z.string().optional() })),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const householdResponse = z.object({ household: householdView });

export type CreateHouseholdInput = z.output<typeof createHouseholdBody>;
export type NewAccount = z.output<typeof newAccount>;
export type HouseholdView = z.output<typeof householdView>;
export type HouseholdStatus = z.output<typeof householdStatus>;
