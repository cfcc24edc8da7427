// Issue #14 items 2 and 3, through the real local stack: the scheduled sweeper sends a link's one reminder at its time,
// and the inviting advisor's notices (accepted, locked, a failed send not resent within a day), each once however
// often and however many runs at once. A stack of its own, whose scheduled runs the test makes at the times it
// chooses (only Date is faked, and only then); SES is stopped last, so every mail before is still in its store.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newFirm, signedToken, tokenFor } from '../support/api.ts';
import { eventually, linkIn, mailTo, uniqueEmail, waitForMail } from '../support/mail.ts';
import { startOwnStack, type OwnStack } from '../support/own-stack.ts';

let own: OwnStack;
beforeAll(async () => {
  own = await startOwnStack();
}, 120_000);
afterAll(async () => own?.stop());

const day = 24 * 60 * 60_000;
const accountNumber = '4400-1234-5678';

/** Scheduled runs as the schedule invokes them, `runs` at once, with the clock at `at` (now when not given). */
const sweep = async ({ at, runs = 1 }: { at?: Date; runs?: number } = {}) => {
  if (at) {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(at);
  }
  // The runs' metric lines say nothing here: the mail store is what the tests read.
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    await Promise.all(Array.from({ length: runs }, () => own.stack.runScheduled()));
  } finally {
    vi.restoreAllMocks();
    vi.useRealTimers();
  }
};
const daysAfter = (iso: string, days: number) => new Date(Date.parse(iso) + days * day);

/** A new firm's advisor (with an email of their own to be told at) and a client household of theirs. */
const advisorOf = async (label: string) => {
  const firmId = newFirm();
  const email = uniqueEmail(`advisor-${label}`);
  const token = await tokenFor('advisor', firmId, { sub: `advisor-${label}`, email, firmName: 'Reminder Wealth' });
  const created = await own.api('POST', '/households', { token, body: { name: `${label} Household`, accounts: [{ accountNumber }] } });
  const householdId = created.body.household.householdId as string;
  const base = `/households/${householdId}/invitations`;
  type Listed = { invitationId: string; email: string; status: string; sentAt?: string; expiresAt: string };
  const list = async () => (await own.api('GET', base, { token })).body.items as Listed[];
  const invite = async (expiresInDays = 7) => {
    const clientEmail = uniqueEmail(label);
    const answer = await own.api('POST', base, { token, body: { firstName: 'Robin', lastName: label, email: clientEmail, expiresInDays } });
    return { clientEmail, status: answer.status, invitation: answer.body.invitation ?? answer.body.error };
  };
  return {
    firmId,
    email,
    invite,
    resend: (invitationId: string) => own.api('POST', `${base}/${invitationId}/resend`, { token }),
    revoke: (invitationId: string) => own.api('POST', `${base}/${invitationId}/revoke`, { token }),
    listed: async (invitationId: string) => (await list()).find((i) => i.invitationId === invitationId)!,
    /** An invitation whose email failed answers 502 without it; the list still shows it. */
    idOf: async (clientEmail: string) => (await list()).find((i) => i.email === clientEmail)!.invitationId,
    notices: async (subject: string) => (await mailTo(email, own.stack.mailUrl)).filter((mail) => mail.subject.startsWith(subject)),
  };
};

const remindersTo = async (clientEmail: string) => (await mailTo(clientEmail, own.stack.mailUrl)).filter((mail) => mail.subject.startsWith('Reminder'));
const tokenOf = async (clientEmail: string) => linkIn((await waitForMail(clientEmail, 1, own.stack.mailUrl))[0]).token;

describe('the reminder before a link expires', () => {
  it('goes once, at its time, however often the sweeper runs and however many runs at once', async () => {
    const advisor = await advisorOf('Once');
    const { clientEmail, invitation } = await advisor.invite(7);
    const { sentAt, expiresAt } = await advisor.listed(invitation.invitationId);
    expect(sentAt).toBeDefined();

    await sweep({ at: daysAfter(expiresAt, -2.01) });
    expect(await remindersTo(clientEmail)).toEqual([]);
    await sweep({ at: daysAfter(expiresAt, -1.99), runs: 3 });
    for (let hour = 1; hour <= 3; hour += 1) await sweep({ at: daysAfter(expiresAt, -1.99 + hour / 24) });

    const reminders = await remindersTo(clientEmail);
    expect(reminders).toHaveLength(1);
    const text = reminders[0]!.body.text ?? '';
    expect(reminders[0]!.subject).toContain('Reminder Wealth client portal invitation expires on');
    expect(text).toContain(`ask your advisor (${advisor.email}) to send you a new invitation`);
    expect(text).not.toMatch(/\/invite\//);
    // Then filed under its expiry, which ends it as before, with no second reminder.
    await sweep({ at: daysAfter(expiresAt, 0.01) });
    expect((await advisor.listed(invitation.invitationId)).status).toBe('expired');
    expect(await remindersTo(clientEmail)).toHaveLength(1);
  }, 90_000);

  it('is not sent after a revocation or an acceptance, nor for a link too short-lived for one; a resent link gets its own', async () => {
    const advisor = await advisorOf('Gone');
    const revoked = await advisor.invite(7);
    expect((await advisor.revoke(revoked.invitation.invitationId)).status).toBe(200);
    const accepted = await advisor.invite(7);
    const token = await tokenOf(accepted.clientEmail);
    expect((await own.api('POST', `/portal/invitations/${token}/verify`, { body: { accountNumber } })).status).toBe(200);
    expect((await own.api('POST', `/portal/invitations/${token}/accept`)).status).toBe(200);
    const short = await advisor.invite(2);
    const resent = await advisor.invite(7);
    const reminderTime = daysAfter(resent.invitation.expiresAt, -1.99);

    await sweep({ at: reminderTime });
    for (const { clientEmail } of [revoked, accepted, short]) expect(await remindersTo(clientEmail)).toEqual([]);
    expect(await remindersTo(resent.clientEmail)).toHaveLength(1);

    // A resend (now) is a new link with a new expiry, and its own reminder two days before that.
    const again = await advisor.resend(resent.invitation.invitationId);
    expect(again.status).toBe(200);
    await sweep({ at: daysAfter(again.body.invitation.expiresAt, -1.99), runs: 2 });
    expect(await remindersTo(resent.clientEmail)).toHaveLength(2);
    for (const { clientEmail } of [revoked, accepted, short]) expect(await remindersTo(clientEmail)).toEqual([]);
  }, 90_000);
});

describe("the inviting advisor's notices", () => {
  it('tells the advisor once that the client accepted', async () => {
    const advisor = await advisorOf('Accepts');
    const { clientEmail } = await advisor.invite(7);
    const token = await tokenOf(clientEmail);
    await own.api('POST', `/portal/invitations/${token}/verify`, { body: { accountNumber } });
    expect((await own.api('POST', `/portal/invitations/${token}/accept`)).status).toBe(200);

    await sweep({ runs: 2 });
    await sweep();
    const notices = await advisor.notices('Invitation accepted');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.subject).toBe('Invitation accepted: Robin Accepts');
    expect(notices[0]!.body.text).toContain(`Client: Robin Accepts (${clientEmail})`);
    expect(notices[0]!.body.text).toContain('Household: Accepts Household');
  }, 60_000);

  it('tells the advisor once that self-service locked after five wrong numbers, and ops get their ticket as before', async () => {
    const advisor = await advisorOf('Locks');
    const { clientEmail, invitation } = await advisor.invite(7);
    const token = await tokenOf(clientEmail);
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      await own.api('POST', `/portal/invitations/${token}/verify`, { body: { accountNumber: `9999000${attempt}` } });
    }
    const view = await own.api('GET', `/portal/invitations/${token}`);
    expect(view.body.invitation.verification.status).toBe('locked');
    const ops = await signedToken({ 'cognito:groups': ['ops'], email: 'reminders@ops.test' }, 'ops-reminders');
    const ticket = await eventually(async () => {
      const list = await own.api('GET', `/ops/tickets?status=open&firmId=${advisor.firmId}`, { token: ops });
      return (list.body.items as { invitationId: string; reason: string }[]).find((t) => t.invitationId === invitation.invitationId);
    });
    expect(ticket.reason).toBe('verification_locked');

    await sweep({ runs: 2 });
    await sweep();
    const notices = await advisor.notices('Verification locked');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.body.text).toContain(clientEmail);
  }, 60_000);

  it('tells the advisor once of a failed send not resent within a day, and nothing of one resent in time', async () => {
    const advisor = await advisorOf('Unsent');
    await own.stack.stopService('ses');
    const unsent = await advisor.invite(7);
    const resentInTime = await advisor.invite(7);
    await own.stack.startService('ses');
    expect([unsent.status, resentInTime.status]).toEqual([502, 502]);
    expect((await advisor.listed(await advisor.idOf(unsent.clientEmail))).status).toBe('send_failed');
    expect((await advisor.resend(await advisor.idOf(resentInTime.clientEmail))).status).toBe(200);

    await sweep({ at: new Date(Date.now() + day - 60 * 60_000) });
    expect(await advisor.notices('Invitation not delivered')).toEqual([]);
    await sweep({ at: new Date(Date.now() + day + 60_000), runs: 2 });
    await sweep({ at: new Date(Date.now() + day + 10 * 60_000) });
    const notices = await advisor.notices('Invitation not delivered');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.body.text).toContain(unsent.clientEmail);
    expect(notices[0]!.body.text).not.toContain(resentInTime.clientEmail);
  }, 90_000);
});
