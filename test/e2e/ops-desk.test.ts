// The ops desk through the HTTP API, as the platform's verification team uses it: one ops user with no firm works
// tickets of two firms from one work list, claims one (a colleague is refused it), decides it with evidence, and the
// ticket keeps who did what. The work list is every firm's, oldest first, over the sharded status index.
import { describe, expect, it } from 'vitest';
import { call, newFirm, opsToken, tokenFor, type Answer } from '../support/api.ts';
import { eventually, mailTo, uniqueEmail } from '../support/mail.ts';

/** A member of the platform's ops team: in the ops group, in no firm. */
const opsUser = (sub: string) => opsToken({ sub, email: `${sub}@ops.test` });

/** A prospect household invited by an advisor of `firm`: its ticket, once the ops function has filed it. */
const prospectTicket = async (firm: string, firmName: string, label: string) => {
  const advisor = await tokenFor('advisor', firm, { sub: `advisor-${firm}`, firmName });
  const household = await call('POST', '/households', { token: advisor, body: { name: `${label} Household` } });
  const email = uniqueEmail(label);
  const invited = await call('POST', `/households/${household.body.household.householdId}/invitations`, {
    token: advisor,
    body: { firstName: label, lastName: 'Prospect', email },
  });
  const ticketId = invited.body.invitation.verification.ticketId as string;
  const ops = await opsUser('ops-reader');
  await eventually(async () => ((await call('GET', `/ops/tickets/${ticketId}`, { token: ops })).status === 200 ? true : undefined));
  return { ticketId, email, householdId: household.body.household.householdId as string };
};

const position = (ticket: { createdAt: string; ticketId: string }) => `${ticket.createdAt}#${ticket.ticketId}`;

/** Every page of a list, following nextCursor (bounded: the shared table holds other tests' tickets too). */
const allPages = async (token: string, query: string, limit: number) => {
  type Listed = { ticketId: string; createdAt: string; firmId: string };
  const items: Listed[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 500; page += 1) {
    const answer: Answer<{ items: Listed[]; nextCursor: string | null }> = await call('GET', `/ops/tickets?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    expect(answer.status).toBe(200);
    expect(answer.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...answer.body.items);
    cursor = answer.body.nextCursor;
    if (cursor === null) return items;
  }
  throw new Error('the list did not end within 500 pages');
};

describe('the ops desk', () => {
  it('lets one platform ops user work two firms\' tickets: list, claim, a colleague refused, approve with evidence', async () => {
    const [alpha, beta] = [newFirm(), newFirm()];
    const a = await prospectTicket(alpha, 'Alpha Wealth', 'Alma');
    const b = await prospectTicket(beta, 'Beta Advisors', 'Bert');
    const ops = await opsUser('ops-ana');
    const colleague = await opsUser('ops-ben');

    // One firm at a time, or both: each ticket shows its firm, its age and (none yet) assignee.
    const inAlpha = await call('GET', `/ops/tickets?firmId=${alpha}`, { token: ops });
    expect(inAlpha.body.items.map((t: { ticketId: string }) => t.ticketId)).toEqual([a.ticketId]);
    expect(inAlpha.body.items[0]).toMatchObject({ firmId: alpha, firmName: 'Alpha Wealth', householdName: 'Alma Household', status: 'open' });
    expect(inAlpha.body.items[0].ageSeconds).toBeGreaterThanOrEqual(0);
    expect(inAlpha.body.items[0].assignee).toBeUndefined();
    const everywhere = await allPages(ops, 'status=open', 100);
    expect(everywhere.map((t) => t.ticketId)).toEqual(expect.arrayContaining([a.ticketId, b.ticketId]));

    // Claim: one assignee; the colleague is refused, claiming again is harmless.
    const claimed = await call('POST', `/ops/tickets/${b.ticketId}/claim`, { token: ops });
    expect(claimed.status).toBe(200);
    expect(claimed.body.ticket).toMatchObject({ assignee: 'ops-ana', firmId: beta });
    const stolen = await call('POST', `/ops/tickets/${b.ticketId}/claim`, { token: colleague });
    expect(stolen.status).toBe(409);
    expect(stolen.body.error.message).toMatch(/another member of the ops team has claimed this ticket/i);
    expect((await call('POST', `/ops/tickets/${b.ticketId}/claim`, { token: ops })).status).toBe(200);

    // Assignee filters: mine, and nobody's.
    const mine = await call('GET', `/ops/tickets?firmId=${beta}&assignee=me`, { token: ops });
    expect(mine.body.items.map((t: { ticketId: string }) => t.ticketId)).toEqual([b.ticketId]);
    expect((await call('GET', `/ops/tickets?firmId=${beta}&assignee=none`, { token: ops })).body.items).toEqual([]);
    expect((await call('GET', `/ops/tickets?firmId=${beta}&assignee=me`, { token: colleague })).body.items).toEqual([]);

    // Only the assignee decides a claimed ticket; nobody approves without evidence.
    const evidence = { method: 'video', reference: 'call 2026-12-03 10:00' };
    const byColleague = await call('POST', `/ops/tickets/${b.ticketId}/approve`, { token: colleague, body: { evidence } });
    expect(byColleague.status).toBe(409);
    const noEvidence = await call('POST', `/ops/tickets/${b.ticketId}/approve`, { token: ops, body: { note: 'trust me' } });
    expect(noEvidence.status).toBe(400);
    expect(noEvidence.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'body.evidence' })]));
    const approved = await call('POST', `/ops/tickets/${b.ticketId}/approve`, { token: ops, body: { note: 'called back', evidence } });
    expect(approved.status).toBe(200);
    expect(approved.body.ticket).toMatchObject({ status: 'approved', decidedBy: 'ops-ana', evidence, note: 'called back' });
    await eventually(async () => ((await mailTo(b.email)).length >= 2 ? true : undefined));

    // The other firm's ticket, unclaimed, is decided directly by the colleague, with evidence on a rejection too.
    const rejected = await call('POST', `/ops/tickets/${a.ticketId}/reject`, {
      token: colleague,
      body: { reason: 'could not reach the client', evidence: { method: 'phone' } },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body.ticket).toMatchObject({ status: 'rejected', decidedBy: 'ops-ben', evidence: { method: 'phone' } });

    // The stored ticket shows who did what, in order.
    const stored = (await call('GET', `/ops/tickets/${b.ticketId}`, { token: colleague })).body.ticket;
    expect(stored.history.map((h: { action: string; by: string }) => `${h.action}:${h.by}`)).toEqual([
      `raised:advisor-${beta}`,
      'claimed:ops-ana',
      'decided:ops-ana',
    ]);
    expect(stored.evidence).toEqual(evidence);
    const decidedInBeta = await call('GET', `/ops/tickets?firmId=${beta}&status=approved`, { token: ops });
    expect(decidedInBeta.body.items.map((t: { ticketId: string }) => t.ticketId)).toEqual([b.ticketId]);
  });

  it('releases a claim back to the queue; only the assignee may, and a release is kept in the history', async () => {
    const firm = newFirm();
    const { ticketId } = await prospectTicket(firm, 'Gamma', 'Gail');
    const [ops, colleague] = [await opsUser('ops-cai'), await opsUser('ops-dee')];
    expect((await call('POST', `/ops/tickets/${ticketId}/claim`, { token: ops })).status).toBe(200);
    expect((await call('POST', `/ops/tickets/${ticketId}/release`, { token: colleague })).status).toBe(409);
    const released = await call('POST', `/ops/tickets/${ticketId}/release`, { token: ops });
    expect(released.status).toBe(200);
    expect(released.body.ticket.assignee).toBeUndefined();
    expect((await call('GET', `/ops/tickets?firmId=${firm}&assignee=none`, { token: ops })).body.items.map((t: { ticketId: string }) => t.ticketId)).toEqual([
      ticketId,
    ]);
    const reclaimed = await call('POST', `/ops/tickets/${ticketId}/claim`, { token: colleague });
    expect(reclaimed.body.ticket.history.map((h: { action: string; by: string }) => `${h.action}:${h.by}`)).toEqual([
      `raised:advisor-${firm}`,
      'claimed:ops-cai',
      'released:ops-cai',
      'claimed:ops-dee',
    ]);
  });

  it('gives a ticket to exactly one of ten ops users claiming it at once, and only that one may decide it', async () => {
    const firm = newFirm();
    const { ticketId } = await prospectTicket(firm, 'Race', 'Rae');
    const team = await Promise.all(Array.from({ length: 10 }, (_, i) => opsUser(`ops-race-${i}`)));
    const answers = await Promise.all(team.map((token) => call('POST', `/ops/tickets/${ticketId}/claim`, { token })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, ...Array(9).fill(409)]);
    const winner = answers.findIndex((a) => a.status === 200);
    const decisions = await Promise.all(
      team.map((token) => call('POST', `/ops/tickets/${ticketId}/approve`, { token, body: { evidence: { method: 'in_person' } } })),
    );
    expect(decisions.map((d, i) => (d.status === 200 ? i : -1)).filter((i) => i >= 0)).toEqual([winner]);
    const stored = (await call('GET', `/ops/tickets/${ticketId}`, { token: team[0]! })).body.ticket;
    expect(stored).toMatchObject({ status: 'approved', assignee: `ops-race-${winner}`, decidedBy: `ops-race-${winner}` });
    expect(stored.history.filter((h: { action: string }) => h.action === 'claimed')).toHaveLength(1);
  });

  it('lists every firm oldest first across the shards: no ticket twice, none skipped, whatever the page size', async () => {
    const firms = [newFirm(), newFirm(), newFirm()];
    const ours: string[] = [];
    for (let i = 0; i < 12; i += 1) ours.push((await prospectTicket(firms[i % 3]!, `Firm ${i % 3}`, `Merge${i}`)).ticketId);
    const ops = await opsUser('ops-merge');
    for (const limit of [1, 5, 100]) {
      const listed = await allPages(ops, 'status=open', limit);
      const positions = listed.map(position);
      expect(new Set(listed.map((t) => t.ticketId)).size).toBe(listed.length);
      expect([...positions].sort()).toEqual(positions);
      expect(listed.map((t) => t.ticketId)).toEqual(expect.arrayContaining(ours));
    }
    // Within one firm the same order, from its own partition.
    const one = await allPages(ops, `firmId=${firms[1]}`, 2);
    expect(one.map((t) => t.ticketId)).toEqual(ours.filter((_, i) => i % 3 === 1));
  });

  it('answers a cursor from another list, or a tampered one, with 400 and changes nothing', async () => {
    const firm = newFirm();
    await prospectTicket(firm, 'Delta', 'Dora');
    await prospectTicket(firm, 'Delta', 'Dan');
    const ops = await opsUser('ops-cursor');
    const first = await call('GET', `/ops/tickets?firmId=${firm}&limit=1`, { token: ops });
    const cursor = first.body.nextCursor as string;
    expect(cursor).toEqual(expect.any(String));
    for (const query of [`status=open&limit=1`, `firmId=${firm}&assignee=none&limit=1`, `firmId=${newFirm()}&limit=1`]) {
      const foreign = await call('GET', `/ops/tickets?${query}&cursor=${encodeURIComponent(cursor)}`, { token: ops });
      expect(foreign.status).toBe(400);
      expect(foreign.body.error.code).toBe('validation_error');
    }
    const tampered = `${cursor.slice(0, -2)}${cursor.endsWith('A') ? 'B' : 'A'}${cursor.slice(-1)}`;
    expect((await call('GET', `/ops/tickets?firmId=${firm}&limit=1&cursor=${encodeURIComponent(tampered)}`, { token: ops })).status).toBe(400);
    for (const bad of ['status=pending', 'assignee=someone', 'reason=whim', 'firmId=%2Fetc', 'limit=0']) {
      const answer = await call('GET', `/ops/tickets?${bad}`, { token: ops });
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('validation_error');
    }
  });
});
