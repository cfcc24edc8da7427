// The ops work list and ticket page against the in-memory stores: every firm's tickets in one list, oldest first,
// narrowed by firm, reason and assignee. The same list over the sharded index stays in test/api and test/e2e.
import { describe, expect, it } from 'vitest';
import { newId } from '../../lib/domain/ids.ts';
import { raisedTicket } from '../../lib/domain/ticket.ts';
import { claimTicket } from '../../lib/use-cases/claim-ticket.ts';
import { approveVerification } from '../../lib/use-cases/decide-ticket.ts';
import { getTicket, listTickets } from '../../lib/use-cases/review-tickets.ts';
import { minutesAfter, start } from '../support/memory/fixtures.ts';
import { amara, bruno, ops, otherFirmCaller, ticketSystem } from '../support/memory/ticket-system.ts';

/**
 * Tickets of two firms, raised minutes after the start: firm B's at 2 (open) and 4 (approved), firm A's locked
 * client at 3 and its prospects at 5 and 8; read an hour after the start.
 */
const desk = async () => {
  const s = await ticketSystem();
  const b1 = await s.raiseAt(await s.invite('firm-b'), 2);
  const b2 = await s.raiseAt(await s.invite('firm-b'), 4);
  await approveVerification(s.deps, ops, b2, { evidence: { method: 'in_person' } });
  const lockedAt = minutesAfter(start, 3).toISOString();
  const locked = raisedTicket({ ...s.request, ticketId: newId(), reason: 'verification_locked' }, lockedAt);
  await s.tickets.store.apply({ key: locked, write: { create: locked } });
  const a1 = await s.raiseAt(s.request, 5);
  const a2 = await s.raiseAt(await s.invite('firm-a'), 8);
  s.clock.now = minutesAfter(start, 60);
  const ids = async (query: Parameters<typeof listTickets>[2], caller = amara) =>
    (await listTickets(s.deps, caller, query)).items.map((ticket) => ticket.ticketId);
  return { ...s, ids, b1, b2, locked: locked.ticketId, a1, a2 };
};

describe('the ops work list', () => {
  it("lists every firm's open tickets, oldest first, each with its firm, its age and its assignee", async () => {
    const d = await desk();
    await claimTicket(d.deps, bruno, d.a1);
    expect(await d.ids({ limit: 10 })).toEqual([d.b1, d.locked, d.a1, d.a2]);
    const { items, nextCursor } = await listTickets(d.deps, amara, { limit: 10 });
    expect(nextCursor).toBeNull();
    expect(items[0]).toMatchObject({ firmId: otherFirmCaller.firmId, firmName: otherFirmCaller.firmName, status: 'open', ageSeconds: 58 * 60 });
    expect(items[0]).not.toHaveProperty('assignee');
    expect(items[2]).toMatchObject({ firmId: 'firm-a', assignee: 'ops-bruno', assignedAt: minutesAfter(start, 60).toISOString(), ageSeconds: 55 * 60 });
  });

  it('narrows to one firm, one reason, or the tickets the caller holds or nobody holds, together', async () => {
    const d = await desk();
    await claimTicket(d.deps, amara, d.a1);
    await claimTicket(d.deps, bruno, d.a2);
    expect(await d.ids({ limit: 10, firmId: 'firm-b' })).toEqual([d.b1]);
    expect(await d.ids({ limit: 10, firmId: 'firm-a' })).toEqual([d.locked, d.a1, d.a2]);
    expect(await d.ids({ limit: 10, reason: 'verification_locked' })).toEqual([d.locked]);
    expect(await d.ids({ limit: 10, reason: 'no_account' })).toEqual([d.b1, d.a1, d.a2]);
    expect(await d.ids({ limit: 10, assignee: 'me' })).toEqual([d.a1]);
    expect(await d.ids({ limit: 10, assignee: 'me' }, bruno)).toEqual([d.a2]);
    expect(await d.ids({ limit: 10, assignee: 'none' })).toEqual([d.b1, d.locked]);
    expect(await d.ids({ limit: 10, assignee: 'none', firmId: 'firm-a' })).toEqual([d.locked]);
    expect(await d.ids({ limit: 10, assignee: 'none', reason: 'no_account', firmId: 'firm-a' })).toEqual([]);
  });

  it('lists one other status when asked: decided tickets keep their decider and evidence', async () => {
    const d = await desk();
    const { items } = await listTickets(d.deps, amara, { limit: 10, status: 'approved' });
    expect(items).toMatchObject([{ ticketId: d.b2, firmId: 'firm-b', decidedBy: 'ops-1', evidence: { method: 'in_person' } }]);
    expect(await d.ids({ limit: 10, status: 'rejected' })).toEqual([]);
  });

  it('pages through the list with the cursor it hands out, losing and repeating nothing, on that list only', async () => {
    const d = await desk();
    const first = await listTickets(d.deps, amara, { limit: 3 });
    expect(first.items.map((ticket) => ticket.ticketId)).toEqual([d.b1, d.locked, d.a1]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await listTickets(d.deps, amara, { limit: 3, cursor: first.nextCursor! });
    expect(second).toMatchObject({ items: [{ ticketId: d.a2 }], nextCursor: null });
    // As the table's list does, the store takes a cursor back only on the list (filters included) that handed it out.
    await expect(listTickets(d.deps, amara, { limit: 3, firmId: 'firm-a', cursor: first.nextCursor! })).rejects.toMatchObject({ code: 'validation_error' });
  });

  it('keeps the oldest open ticket, of any firm, first: the one the SLA reads', async () => {
    const d = await desk();
    expect(await d.tickets.store.oldestOpen()).toBe(minutesAfter(start, 2).toISOString());
    await approveVerification(d.deps, ops, d.b1, { evidence: { method: 'phone' } });
    expect(await d.tickets.store.oldestOpen()).toBe(minutesAfter(start, 3).toISOString());
  });
});

describe('one ticket', () => {
  it("opens any firm's ticket by its id alone, and answers 404 for an id nobody filed", async () => {
    const d = await desk();
    expect(await getTicket(d.deps, amara, d.b1)).toMatchObject({ ticketId: d.b1, firmId: 'firm-b', householdName: 'B Prospects', ageSeconds: 58 * 60 });
    await expect(getTicket(d.deps, amara, newId())).rejects.toMatchObject({ code: 'not_found' });
  });
});
