// Every port the ticket use cases need, in memory, with a clock and a mailer a test drives: one prospect invited (its
// ticket request owed) to start with, and more, in any firm, on request.
import { AppError } from '../../../lib/domain/errors.ts';
import { newHousehold } from '../../../lib/domain/household.ts';
import type { OpsCaller, OutgoingEmail } from '../../../lib/domain/ports.ts';
import type { TicketRequest } from '../../../lib/schemas/invitations.ts';
import { raiseVerificationTicket } from '../../../lib/use-cases/raise-verification-ticket.ts';
import { firmCaller, minutesAfter, sent, start } from './fixtures.ts';
import { memoryInvitations } from './invitations.ts';
import { memoryTickets } from './tickets-memory.ts';

export const opsInbox = 'ops@platform.test';
/** Members of the platform's ops team: no firm. */
export const ops: OpsCaller = { sub: 'ops-1', groups: ['ops'] };
export const amara: OpsCaller = { sub: 'ops-amara', email: 'amara@platform.test', groups: ['ops'] };
export const bruno: OpsCaller = { sub: 'ops-bruno', email: 'bruno@platform.test', groups: ['ops'] };
/** An advisor of a second firm, and a household of theirs. */
export const otherFirmCaller = { firmId: 'firm-b', sub: 'advisor-b', email: 'advisor@b.test', firmName: 'B Partners', groups: ['advisors'] };
const otherFirmHousehold = newHousehold({ name: 'B Prospects', members: [] }, [], otherFirmCaller, start.toISOString());

/** A prospect invited, its ticket request owed, and every port in memory; `mailDown` makes SES refuse. */
export const ticketSystem = async () => {
  const memory = memoryInvitations();
  const tickets = memoryTickets(memory);
  const mails: OutgoingEmail[] = [];
  const clock = { now: minutesAfter(start, 1), mailDown: false, remainingMs: 30_000 };
  const deps = {
    tickets: tickets.store,
    invitations: memory.store,
    mailer: {
      send: async (email: OutgoingEmail) => {
        if (clock.mailDown) throw new AppError('email_send_failed', 'SES refused');
        mails.push(email);
      },
    },
    opsEmail: () => opsInbox,
    portalUrl: () => 'https://portal.test',
    expiryDays: () => 7,
    now: () => clock.now,
    remainingMs: () => clock.remainingMs,
    requestId: 'request-1',
  };
  /** Invites another prospect, of the first firm or the second, and returns the ticket request it owes. */
  const invite = async (firm: 'firm-a' | 'firm-b' = 'firm-a', email = `client-${memory.invitations.size}@example.com`) => {
    const invited = firm === 'firm-a' ? sent({ prospect: true, email }) : sent({ household: otherFirmHousehold, caller: otherFirmCaller, email });
    await memory.store.create(invited.change);
    return (invited.change.ticketRequest as { owe: TicketRequest }).owe;
  };
  const request = await invite('firm-a', 'ann@example.com');
  /** Raises the request's ticket `minutes` after the start, as the queue would deliver it. */
  const raiseAt = async (owed: TicketRequest, minutes: number) => {
    clock.now = minutesAfter(start, minutes);
    await raiseVerificationTicket(deps, owed);
    return owed.ticketId;
  };
  const mailsTo = (to: string) => mails.filter((mail) => mail.to === to);
  const tokenIn = (mail: OutgoingEmail) => mail.text.match(/\/invite\/([\w-]+)/)![1]!;
  const stored = () => memory.invitations.get(`${request.firmId}#${request.householdId}#${request.invitationId}`)!;
  const ticket = (ticketId = request.ticketId) => memory.tickets.get(ticketId);
  return { memory, tickets, request, mails, clock, deps, invite, raiseAt, mailsTo, tokenIn, stored, ticket };
};

/** A system whose ticket was raised and ops emailed, half an hour ago. */
export const raisedTicketSystem = async () => {
  const s = await ticketSystem();
  await s.raiseAt(s.request, 1);
  s.clock.now = minutesAfter(start, 30);
  s.mails.length = 0;
  return s;
};
