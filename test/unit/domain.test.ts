import { describe, expect, it } from 'vitest';
import { householdView, newHousehold, statusFor } from '../../lib/domain/household.ts';
import {
  invitationView,
  linkWorks,
  newInvitation,
  statusOf,
  ticketRequestFor,
  type Invitation,
} from '../../lib/domain/invitation.ts';
import { newId } from '../../lib/domain/ids.ts';
import { hashToken, newToken } from '../../lib/domain/token.ts';
import { parseGroups } from '../../lib/http/auth.ts';
import { escapeHtml, layout, oneLine } from '../../lib/email/escape.ts';
import { invitationEmail } from '../../lib/email/messages.ts';
import { accountNumber } from '../../lib/schemas/households.ts';
import { ticketRequestMessage } from '../../lib/schemas/invitations.ts';
import { check } from '../../lib/schemas/validate.ts';

const caller = { firmId: 'firm-a', sub: 'advisor-1' };
const prospect = newHousehold({ name: 'P', members: [] }, [], caller, '2026-01-01T00:00:00.000Z');
const client = newHousehold({ name: 'C', members: [] }, [{ numberHash: 'h', last4: '1234' }], caller, '2026-01-01T00:00:00.000Z');
const now = new Date('2026-03-01T12:00:00.000Z');

const invitationFor = (household = prospect, at = now): Invitation =>
  newInvitation({
    household,
    caller,
    client: { firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com' },
    ids: { invitationId: newId(), ticketId: newId() },
    tokenHash: hashToken(newToken()),
    expiresInDays: 7,
    now: at,
  });

describe('households', () => {
  it('keeps a household without accounts as a prospect', () => {
    expect(statusFor([])).toBe('prospect');
    expect(prospect.status).toBe('prospect');
  });

  it('makes a household with an account a client', () => {
    expect(client.status).toBe('client');
  });

  it('never shows the account hash in the view', () => {
    expect(JSON.stringify(householdView(client))).not.toContain('numberHash');
  });
});

describe('account numbers', () => {
  it('normalizes spaces, dashes and case', () => {
    expect(check(accountNumber, ' 12-34 ab-CD ')).toEqual({ success: true, data: '1234ABCD' });
  });

  it.each(['123', 'x'.repeat(35), '12#45', ''])('rejects %j', (value) => {
    expect(check(accountNumber, value).success).toBe(false);
  });
});

describe('invitations', () => {
  it('sends prospects to manual review with a ticket and clients to account-number verification', () => {
    expect(invitationFor(prospect).verification).toMatchObject({ method: 'manual', status: 'pending_review', ticketId: expect.any(String) });
    expect(invitationFor(client).verification).toEqual({ method: 'account_number', status: 'not_started', wrongAttempts: 0 });
  });

  it('expires by the clock, whatever the TTL has or has not deleted', () => {
    const invitation = invitationFor(client);
    const later = new Date(Date.parse(invitation.expiresAt) + 1);
    expect(statusOf(invitation, now)).toBe('sent');
    expect(statusOf(invitation, later)).toBe('expired');
    expect(linkWorks(invitation, later)).toBe(false);
  });

  it('keeps an accepted link showing its done page', () => {
    const accepted: Invitation = { ...invitationFor(client), state: 'accepted' };
    expect(linkWorks(accepted, new Date(Date.parse(accepted.expiresAt) + 1))).toBe(true);
  });

  it('shows send_failed only while the invitation is live', () => {
    const failed: Invitation = { ...invitationFor(client), delivery: 'failed' };
    expect(invitationView(failed, now).status).toBe('send_failed');
    expect(invitationView({ ...failed, state: 'revoked' }, now).status).toBe('revoked');
  });

  it('builds a ticket request the queue schema accepts', () => {
    const request = ticketRequestFor(invitationFor(prospect), 'no_account', now);
    expect(check(ticketRequestMessage, request)).toEqual({ success: true, data: request });
  });
});

describe('tokens', () => {
  it('are 32 random bytes in base64url and stored only as a SHA-256 hash', () => {
    const token = newToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).not.toContain(token);
    expect(newToken()).not.toBe(token);
  });
});

describe('cognito:groups claim', () => {
  it.each([
    [['advisors', 'ops'], ['advisors', 'ops']],
    ['[advisors ops]', ['advisors', 'ops']],
    ['[advisors]', ['advisors']],
    ['advisors', ['advisors']],
    ['["ops","advisors"]', ['ops', 'advisors']],
    ['[]', []],
    ['', []],
    [undefined, []],
    [42, []],
  ])('reads %j as %j', (claim, groups) => {
    expect(parseGroups(claim)).toEqual(groups);
  });

  it('does not mistake a group containing the name for the group', () => {
    expect(parseGroups('[advisors-readonly]')).not.toContain('advisors');
  });
});

describe('emails', () => {
  it('escapes every user-supplied field in HTML', () => {
    const invitation = { ...invitationFor(prospect), firstName: '<script>alert(1)</script>', firmName: 'A & "B"' };
    const email = invitationEmail(invitation, 'https://portal.test/invite/abc');
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;');
    expect(email.html).toContain('A &amp; &quot;B&quot;');
    expect(email.text).toContain('https://portal.test/invite/abc');
  });

  it('keeps header fields on one line', () => {
    expect(oneLine('Hello\r\nBcc: evil@example.com')).toBe('Hello Bcc: evil@example.com');
    const email = invitationEmail({ ...invitationFor(prospect), firmName: 'Evil\r\nBcc: x@y.z' }, 'https://p/invite/x');
    expect(email.subject).not.toMatch(/[\r\n]/);
  });

  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(layout(['<b>'], { url: 'https://x/"y', label: 'Go' }).html).toContain('https://x/&quot;y');
  });
});
