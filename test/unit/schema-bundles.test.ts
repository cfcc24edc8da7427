import { describe, expect, it } from 'vitest';
import { bundleSource } from '../support/bundle-source.ts';

// A function bundles only the schemas it uses (lib/schemas/common.ts, `pure`): one unmarked schema would
// bring every schema it reaches into every function that imports its module.

// A message or literal that only the named schema holds.
const markers = {
  createHouseholdBody: 'is listed twice',
  members: 'must list at most 20 members',
  accountNumber: 'must be 6 to 34 letters or digits',
  createInvitationBody: 'must be a whole number of days',
  ticketReason: 'verification_locked',
  email: 'must be an email address',
  pageSize: 'must be a whole number from 1 to 100',
  isoTime: 'must be an ISO 8601 timestamp',
};

describe('schema modules in a bundle', () => {
  it('leave out every schema the function does not use', async () => {
    const code = await bundleSource(`
      import { householdParams } from '#lib/schemas/households.ts';
      import { ticketParams } from '#lib/schemas/invitations.ts';
      import { check } from '#lib/schemas/validate.ts';
      export const handler = (event: unknown) => [check(householdParams, event), check(ticketParams, event)];
    `);
    expect(code).toContain('must be a UUIDv7');
    expect(Object.entries(markers).filter(([, marker]) => code.includes(marker))).toEqual([]);
  });

  it('keep what a used schema reaches', async () => {
    const code = await bundleSource(`
      import { createHouseholdBody } from '#lib/schemas/households.ts';
      export const handler = (event: unknown) => createHouseholdBody.parse(event);
    `);
    for (const name of ['createHouseholdBody', 'members', 'accountNumber', 'email'] as const) expect(code, name).toContain(markers[name]);
    expect(code).not.toContain(markers.ticketReason);
  });
});
