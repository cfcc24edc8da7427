// The console's pages and forms against a desk that can claim (DeskView/DeskActions as the ops API's use cases will
// fill them), with sessions in memory: what the lead connects is exercised before it exists.
import { describe, expect, it } from 'vitest';
import { submitConsoleAction } from '../../lib/console/console-actions.ts';
import { showConsolePage } from '../../lib/console/console-pages.ts';
import type { DeskActions, DeskTicket, DeskView } from '../../lib/console/desk.ts';
import { approveForm, claimForm } from '../../lib/console/forms.ts';
import { startSession, type ConsoleSessionStore, type StoredSession } from '../../lib/console/session.ts';
import { AppError } from '../../lib/domain/errors.ts';
import type { FormOutcome, HttpEvent } from '../../lib/http/middlewares/http-request.ts';
import { parseFormBody } from '../../lib/pages/form-body.ts';

const ticketId = '01890f6e-6a3b-7c2d-8e4f-1a2b3c4d5e6f';
const now = new Date('2026-01-03T12:00:00Z');
const ticket = (over: Partial<DeskTicket> = {}): DeskTicket => ({
  ticketId,
  type: 'verification_bypass',
  reason: 'no_account',
  firmId: 'firm-north',
  firmName: 'Northwind <Wealth>',
  householdId: '01890f6e-6a3b-7c2d-8e4f-000000000001',
  householdName: 'The Okafor Family',
  invitationId: '01890f6e-6a3b-7c2d-8e4f-000000000002',
  client: { firstName: 'Ngozi', lastName: 'Okafor', email: 'ngozi@client.test' },
  requestedBy: 'advisor-1',
  status: 'open',
  createdAt: '2026-01-03T09:55:00Z',
  ageSeconds: 2 * 3600 + 5 * 60,
  history: [{ action: 'raised', by: 'advisor-1', at: '2026-01-03T09:55:00Z' }],
  ...over,
});

const sessions = () => {
  const items = new Map<string, StoredSession>();
  const store: ConsoleSessionStore = {
    create: async (session) => void items.set(session.idHash, session),
    get: async (idHash) => items.get(idHash),
    touch: async () => undefined,
    remove: async (idHash) => void items.delete(idHash),
  };
  return store;
};

/** A desk with claiming: one assignee at a time, 409 to a second claimer. */
const claimingDesk = () => {
  let current = ticket();
  const calls: string[] = [];
  const view: DeskView = {
    queue: async (_user, filters) => (calls.push(`queue ${JSON.stringify(filters)}`), { items: [current], nextCursor: 'next-page' }),
    ticket: async () => current,
  };
  const actions: DeskActions = {
    claim: async (user) => {
      if (current.assignee !== undefined && current.assignee !== user.sub) throw new AppError('conflict', `This ticket is claimed by ${current.assignee}`);
      current = { ...current, assignee: user.sub };
    },
    release: async () => void (current = { ...current, assignee: undefined }),
    approve: async (user, _id, decision) => void calls.push(`approve ${user.sub} ${JSON.stringify(decision)}`),
    reject: async () => undefined,
  };
  return { view, actions, calls, set: (over: Partial<DeskTicket>) => void (current = { ...current, ...over }) };
};

const eventFor = (method: 'GET' | 'POST', path: string, cookie: string, body?: string, query?: Record<string, string>) =>
  ({
    routeKey: `${method} ${path.replace(ticketId, '{ticketId}')}`,
    rawPath: path,
    rawQueryString: new URLSearchParams(query).toString(),
    cookies: [cookie],
    headers: { origin: 'https://portal.example.com', 'content-type': 'application/x-www-form-urlencoded' },
    ...(query ? { queryStringParameters: query } : {}),
    pathParameters: path.includes('/tickets/') ? { ticketId } : undefined,
    ...(body === undefined ? {} : { body }),
    requestContext: { http: { method } },
  }) as unknown as HttpEvent;

const formOf = (event: HttpEvent, schema: Parameters<typeof parseFormBody>[1]): FormOutcome => {
  try {
    return { ok: true, data: parseFormBody(event, schema) };
  } catch (error) {
    return { ok: false, problem: error as AppError };
  }
};

const setUp = async (sub = 'ops-amara') => {
  const store = sessions();
  const desk = claimingDesk();
  const { id, session } = await startSession(store, { sub, email: `${sub}@platform.test`, groups: ['ops'] }, now);
  const deps = { sessions: store, desk: desk.view, actions: desk.actions, now: () => now, signInPath: () => '/ops/console/sign-in', portalUrl: () => 'https://portal.example.com' };
  return { deps, desk, cookie: `__Host-ops_session=${id}`, csrf: session.csrfToken, store };
};

describe('the console on a desk that claims', () => {
  it('offers every filter the desk has, and claim on an unassigned ticket, release on your own', async () => {
    const { deps, desk, cookie } = await setUp();
    const queue = await showConsolePage(deps, eventFor('GET', '/ops/console', cookie, undefined, { firmId: 'firm-north', assignee: 'none', reason: '' }));
    expect(queue.status).toBe(200);
    expect(desk.calls).toEqual(['queue {"status":"open","firmId":"firm-north","assignee":"none"}']);
    const page = queue.body as string;
    for (const label of ['Status', 'Firm id', 'Reason', 'Assignee']) expect(page).toContain(`>${label}</label>`);
    expect(page).toContain('Northwind &lt;Wealth&gt;');
    expect(page).toContain('2 h 5 min');
    expect(page).toContain(`action="/ops/console/tickets/${ticketId}/claim"`);
    expect(page).toContain('name="back" value="/ops/console?firmId=firm-north&amp;assignee=none&amp;reason="');
    expect(page).toContain('Next page');

    desk.set({ assignee: 'ops-amara' });
    const mine = (await showConsolePage(deps, eventFor('GET', `/ops/console/tickets/${ticketId}`, cookie))).body as string;
    expect(mine).toContain(`action="/ops/console/tickets/${ticketId}/release"`);
    desk.set({ assignee: 'ops-bruno' });
    const theirs = (await showConsolePage(deps, eventFor('GET', `/ops/console/tickets/${ticketId}`, cookie))).body as string;
    expect(theirs).toContain('ops-bruno is working on this ticket');
    expect(theirs).not.toMatch(/\/(claim|release)"/);
  });

  it('claims through the desk and goes back to the page it came from; a second claimer gets 409 and the ticket', async () => {
    const amara = await setUp('ops-amara');
    const post = (cookie: string, body: string) => {
      const event = eventFor('POST', `/ops/console/tickets/${ticketId}/claim`, cookie, body);
      return submitConsoleAction(amara.deps, event, 'claim', formOf(event, claimForm));
    };
    const claimed = await post(amara.cookie, `csrf=${amara.csrf}&back=${encodeURIComponent('/ops/console?status=open')}`);
    expect(claimed.status).toBe(303);
    expect(claimed.headers?.location).toBe('/ops/console?status=open');

    const { id, session } = await startSession(amara.store, { sub: 'ops-bruno', groups: ['ops'] }, now);
    const second = await post(`__Host-ops_session=${id}`, `csrf=${session.csrfToken}`);
    expect(second.status).toBe(409);
    expect(second.body).toContain('This ticket is claimed by ops-amara');
    expect(second.body).toContain('ops-amara is working on this ticket');
  });

  it('hands the desk the evidence as typed, and never a back link to another site', async () => {
    const { deps, desk, cookie, csrf } = await setUp();
    const approve = eventFor('POST', `/ops/console/tickets/${ticketId}/approve`, cookie, `csrf=${csrf}&method=video&reference=${encodeURIComponent('<ref>')}&note=`);
    const answer = await submitConsoleAction(deps, approve, 'approve', formOf(approve, approveForm));
    expect(answer.headers?.location).toBe(`/ops/console/tickets/${ticketId}?done=approved`);
    expect(desk.calls.at(-1)).toBe('approve ops-amara {"evidence":{"method":"video","reference":"<ref>"}}');

    const release = eventFor('POST', `/ops/console/tickets/${ticketId}/release`, cookie, `csrf=${csrf}&back=${encodeURIComponent('https://evil.example')}`);
    expect((await submitConsoleAction(deps, release, 'release', formOf(release, claimForm))).headers?.location).toBe('/ops/console');
  });

  it('keeps what was typed when the desk refuses a decision, escaped', async () => {
    const { deps, desk, cookie, csrf } = await setUp();
    deps.actions = { ...desk.actions, approve: async () => Promise.reject(new AppError('forbidden', 'You raised this ticket')) };
    const approve = eventFor('POST', `/ops/console/tickets/${ticketId}/approve`, cookie, `csrf=${csrf}&method=phone&reference=call%2042&note=${encodeURIComponent('"><b>x')}`);
    const answer = await submitConsoleAction(deps, approve, 'approve', formOf(approve, approveForm));
    expect(answer.status).toBe(403);
    const page = answer.body as string;
    expect(page).toContain('You raised this ticket');
    expect(page).toContain('<option value="phone" selected>');
    expect(page).toContain('value="call 42"');
    expect(page).toContain('&quot;&gt;&lt;b&gt;x</textarea>');
  });
});
