import { describe, expect, it } from 'vitest';
import { regexes as zodRegexes } from 'zod/mini';
import { emailPattern } from '../../lib/schemas/common.ts';
import { createHouseholdBody, listHouseholdsQuery } from '../../lib/schemas/households.ts';
import { createInvitationBody, ticketRequestMessage, tokenParams } from '../../lib/schemas/invitations.ts';
import { check } from '../../lib/schemas/validate.ts';

describe('request checks', () => {
  it('names every offending field with a message a person can act on', () => {
    const result = check(createHouseholdBody, { name: ' ', extra: 1, members: [{ firstName: 'Ann', role: 'boss' }] });
    expect(result).toEqual({
      success: false,
      details: [
        { path: 'name', message: 'must not be empty' },
        { path: 'members.0.lastName', message: 'is required' },
        { path: 'members.0.role', message: 'must be one of "primary", "spouse", "dependent", "other"' },
        { path: 'extra', message: 'is not a known field' },
      ],
    });
  });

  it('points at the second copy of an account listed twice, after normalizing both', () => {
    const result = check(createHouseholdBody, { name: 'Lee', accounts: [{ accountNumber: '1234-5678' }, { accountNumber: '12345678' }] });
    expect(result).toEqual({ success: false, details: [{ path: 'accounts.1.accountNumber', message: 'is listed twice' }] });
  });

  it('says what the whole body should be when it is not an object', () => {
    expect(check(createHouseholdBody, 'text')).toEqual({ success: false, details: [{ path: '', message: 'must be an object' }] });
  });

  it('keeps the email addresses people have: apostrophes, plus tags, surrounding spaces trimmed', () => {
    const result = check(createInvitationBody, { firstName: 'Sean', lastName: "O'Brien", email: " sean.o'brien+portal@firm.co.uk " });
    expect(result).toEqual({ success: true, data: { firstName: 'Sean', lastName: "O'Brien", email: "sean.o'brien+portal@firm.co.uk" } });
  });

  it.each(['plain', 'a@b', '.a@firm.com', 'a..b@firm.com', 'a@firm.c'])('refuses the email %j', (email) => {
    expect(check(createInvitationBody, { firstName: 'A', lastName: 'B', email }).success).toBe(false);
  });

  it('reads the page size from the query string, 25 when absent, and refuses anything outside 1 to 100', () => {
    expect(check(listHouseholdsQuery, {})).toEqual({ success: true, data: { limit: 25 } });
    expect(check(listHouseholdsQuery, { limit: '100', status: 'client' })).toEqual({ success: true, data: { limit: 100, status: 'client' } });
    for (const limit of ['0', '101', '1.5', '-1', 'ten', '']) expect(check(listHouseholdsQuery, { limit }).success, limit).toBe(false);
  });
});

describe('a field that fails several checks', () => {
  it('gets one message, from its first failing check', () => {
    const result = check(createInvitationBody, { firstName: `${'x'.repeat(150)}\u0007`, lastName: 'B', email: 'b@firm.com' });
    expect(result).toEqual({ success: false, details: [{ path: 'firstName', message: 'must be at most 100 characters' }] });
  });
});

describe('what zod reports, worded as before', () => {
  const body = { firstName: 'A', lastName: 'B', email: 'a@firm.com' };

  it('names the first unknown field of an object, under its own path', () => {
    expect(check(createInvitationBody, { ...body, extra: 1, more: 2 })).toEqual({ success: false, details: [{ path: 'extra', message: 'is not a known field' }] });
  });

  it('gives a field of the wrong type one message, even when the value has a length', () => {
    expect(check(createInvitationBody, { ...body, firstName: [] })).toEqual({ success: false, details: [{ path: 'firstName', message: 'must be a string' }] });
  });

  it('names the one value a literal allows', () => {
    const result = check(ticketRequestMessage, { version: 2 });
    expect(result.success === false && result.details[0]).toEqual({ path: 'version', message: 'must be 1' });
  });

  it('words a bound without its own message as before', () => {
    const result = check(tokenParams, { token: '' });
    expect(result).toEqual({ success: false, details: [{ path: 'token', message: 'is not valid (expected >=1)' }] });
  });

  it('keeps custom messages on numbers: a whole number of days from 1 to 30', () => {
    const days = (expiresInDays: unknown) => check(createInvitationBody, { ...body, expiresInDays });
    expect(days(1.5)).toEqual({ success: false, details: [{ path: 'expiresInDays', message: 'must be a whole number of days' }] });
    expect(days(1e300)).toEqual({ success: false, details: [{ path: 'expiresInDays', message: 'must be at most 30' }] });
    expect(days('7')).toEqual({ success: false, details: [{ path: 'expiresInDays', message: 'must be a number' }] });
  });

  it('checks for accounts listed twice only once the rest of the body is right', () => {
    const twice = [{ accountNumber: '1234-5678', x: 1 }, { accountNumber: '12345678' }];
    expect(check(createHouseholdBody, { name: 'Lee', accounts: twice })).toEqual({ success: false, details: [{ path: 'accounts.0.x', message: 'is not a known field' }] });
  });

  it('stops at 20 details', () => {
    const result = check(createHouseholdBody, { name: 'Lee', members: Array.from({ length: 19 }, () => ({})) });
    expect(result.success === false && result.details).toHaveLength(20);
  });
});

// Deliberate changes from valibot, both on input no client sends.
describe('where zod answers differently, on purpose', () => {
  it('refuses an array where an object belongs (valibot read it as an object with no fields)', () => {
    expect(check(createHouseholdBody, [])).toEqual({ success: false, details: [{ path: '', message: 'must be an object' }] });
  });

  it('refuses a list longer than allowed by its length alone, before reading any item', () => {
    const members = Array.from({ length: 21 }, () => ({ firstName: '' }));
    expect(check(createHouseholdBody, { name: 'Lee', members })).toEqual({ success: false, details: [{ path: 'members', message: 'must list at most 20 members' }] });
  });
});

describe('the email pattern', () => {
  it("is zod's own, copied so a bundle keeps only this one", () => {
    expect(emailPattern.source).toBe(zodRegexes.email.source);
  });
});
