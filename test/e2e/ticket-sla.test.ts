// Issue #13 item 7, through the real local stack: the scheduled sweeper reports the age of the oldest ticket still
// open across every firm (the figure the SLA alarm watches), and the ops email leads to the ticket's console page.
// A stack of its own, so "the oldest open ticket" is one of this file's: the shared table holds other tests' tickets.
import '../support/metrics-on.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ticketSlaMetrics } from '../../lib/metrics.ts';
import { newFirm, signedToken, tokenFor } from '../support/api.ts';
import { eventually, mailTo, uniqueEmail } from '../support/mail.ts';
import { startOwnStack, type OwnStack } from '../support/own-stack.ts';

let own: OwnStack;
beforeAll(async () => {
  own = await startOwnStack();
}, 120_000);
afterAll(async () => own?.stop());

const opsInbox = 'ops@advisor-platform.test';
const opsUser = () => signedToken({ 'cognito:groups': ['ops'], email: 'sla@ops.test' }, 'ops-sla');

/** A prospect invited by an advisor of a new firm, and the ticket the ops function filed for it. */
const raiseTicket = async (label: string) => {
  const firm = newFirm();
  const advisor = await tokenFor('advisor', firm, { sub: `advisor-${label}` });
  const household = await own.api('POST', '/households', { token: advisor, body: { name: `${label} Household` } });
  const householdId = household.body.household.householdId as string;
  const invited = await own.api('POST', `/households/${householdId}/invitations`, {
    token: advisor,
    body: { firstName: label, lastName: 'Waiting', email: uniqueEmail(label) },
  });
  const { invitationId, verification } = invited.body.invitation;
  const ops = await opsUser();
  const ticket = await eventually(async () => {
    const answer = await own.api('GET', `/ops/tickets/${verification.ticketId}`, { token: ops });
    return answer.status === 200 ? (answer.body.ticket as { ticketId: string; createdAt: string; status: string }) : undefined;
  });
  const revoke = () => own.api('POST', `/households/${householdId}/invitations/${invitationId}/revoke`, { token: advisor });
  return { firm, ticket, revoke };
};

/** One scheduled run of the sweeper, as the schedule invokes it: the oldest-open-ticket age its metrics line reports. */
const sweptAge = async () => {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => lines.push(String(chunk)) > 0);
  const before = Date.now();
  try {
    await own.stack.runScheduled();
  } finally {
    vi.restoreAllMocks();
  }
  const reported = lines
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.includes(ticketSlaMetrics.oldestOpenTicketAge))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(reported).toHaveLength(1);
  return { age: reported[0]![ticketSlaMetrics.oldestOpenTicketAge] as number, before, after: Date.now() };
};

/** The age in whole seconds a run between `before` and `after` may report for a ticket raised at `createdAt`. */
const expectAgeOf = ({ age, before, after }: Awaited<ReturnType<typeof sweptAge>>, createdAt: string) => {
  const raised = Date.parse(createdAt);
  expect(age).toBeGreaterThanOrEqual(Math.round((before - raised) / 1000));
  expect(age).toBeLessThanOrEqual(Math.round((after - raised) / 1000));
};

describe('the oldest open ticket, across firms', () => {
  it('is what the sweeper reports every run: 0 with none open, then the oldest of two firms\' tickets, then the next', async () => {
    const { oldestOpenTicket } = await import('../../lib/adapters/dynamodb/ticket-sla.ts');
    expect(await oldestOpenTicket()).toBeUndefined();
    expect((await sweptAge()).age).toBe(0);

    const first = await raiseTicket('Oldest');
    // Long enough apart that the ages the two tickets would give cannot be mistaken for each other.
    await sleep(3_000);
    const second = await raiseTicket('Newer');
    expect(second.firm).not.toBe(first.firm);
    expect(Date.parse(second.ticket.createdAt) - Date.parse(first.ticket.createdAt)).toBeGreaterThanOrEqual(3_000);

    expect(await oldestOpenTicket()).toBe(first.ticket.createdAt);
    const withBoth = await sweptAge();
    expectAgeOf(withBoth, first.ticket.createdAt);
    expect(withBoth.age).toBeGreaterThanOrEqual(3);

    // A revoke cancels the first firm's ticket: the other firm's is now the oldest open one.
    expect((await first.revoke()).status).toBe(200);
    expect(await oldestOpenTicket()).toBe(second.ticket.createdAt);
    expectAgeOf(await sweptAge(), second.ticket.createdAt);

    expect((await second.revoke()).status).toBe(200);
    expect(await oldestOpenTicket()).toBeUndefined();
    expect((await sweptAge()).age).toBe(0);
  }, 60_000);
});

describe('the ops email', () => {
  it('links to the ticket\'s page in the ops console, on the portal\'s own address', async () => {
    const { ticket } = await raiseTicket('Linked');
    const mail = await eventually(async () => (await mailTo(opsInbox, own.stack.mailUrl)).find((m) => m.body.text?.includes(ticket.ticketId)));
    const page = `${own.stack.apiUrl}/ops/console/tickets/${ticket.ticketId}`;
    expect(mail.body.text).toContain(`Open the ticket in the ops console: ${page}`);
    expect(mail.body.html).toContain(`href="${page}"`);
    // The console serves it: a browser without a session is sent to sign in, and back to this ticket afterwards.
    const opened = await fetch(page, { redirect: 'manual' });
    expect(opened.status).toBe(303);
    const signIn = new URL(opened.headers.get('location')!, page);
    expect(signIn.searchParams.get('next')).toBe(`/ops/console/tickets/${ticket.ticketId}`);
  });
});
