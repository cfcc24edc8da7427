// The console's queue and ticket pages as the desk now fills them (firm, household, age, assignee, evidence,
// history), and what becomes of a use case's refusal: a page that says why, never a crash.
import { describe, expect, it } from 'vitest';
import { submitConsoleAction } from '../../lib/console/console-actions.ts';
import { showConsolePage } from '../../lib/console/console-pages.ts';
import type { DeskActions, DeskTicket, DeskView, QueueFilters } from '../../lib/console/desk.ts';
import { claimForm, rejectForm } from '../../lib/console/forms.ts';
import { startSession, type ConsoleSessionStore, type StoredSession } from '../../lib/console/session.ts';
import { ageOf } from '../../lib/console/ticket-labels.ts';
import { AppError, conflict } from '../../lib/domain/errors.ts';
import type { PageRequest } from '../../lib/domain/ports.ts';
import type { HttpEvent } from '../../lib/http/middlewares/http-request.ts';
import { parseFormBody } from '../../lib/pages/form-body.ts';

const now = new Date('2026-01-03T12:00:00Z');
const me = 'ops-amara';
const id = (n: number) => `01890f6e-6a3b-7c2d-8e4f-${String(n).padStart(12, '0')}`;

const ticket = (n: number, over: Partial<DeskTicket> = {}): DeskTicket => ({
  ticketId: id(n),
  type: 'verification_bypass',
  reason: 'no_account',
  firmId: 'firm-north',
  firmName: 'Northwind <Wealth>',
  householdId: id(100 + n),
  householdName: 'The Okafor Family',
  invitationId: id(200 + n),
  client: { firstName: 'Ngozi', lastName: `Okafor${n}`, email: `ngozi${n}@client.test` },
  requestedBy: 'advisor-1',
  status: 'open',
  createdAt: '2026-01-03T09:55:00Z',
  ageSeconds: 7500,
  history: [{ action: 'raised', by: 'advisor-1', at: '2026-01-03T09:55:00Z' }],
  ...over,
});

const memorySessions = (): ConsoleSessionStore => {
  const items = new Map<string, StoredSession>();
  return {
    create: async (session) => void items.set(session.idHash, session),
    get: async (idHash) => items.get(idHash),
    touch: async () => undefined,
    remove: async (idHash) => void items.delete(idHash),
  };
};

const refusing = (error: Error) => async () => Promise.reject(error);

const setUp = async (tickets: DeskTicket[], queue?: DeskView['queue']) => {
  const sessions = memorySessions();
  const asked: { filters: QueueFilters; page: PageRequest }[] = [];
  const desk: DeskView = {
    queue: queue ?? (async (_user, filters, page) => (asked.push({ filters, page }), { items: tickets, nextCursor: 'cursor-2' })),
    ticket: async (_user, ticketId) => tickets.find((one) => one.ticketId === ticketId) ?? Promise.reject(new AppError('not_found', 'ticket not found')),
  };
  const actions: DeskActions = { claim: async () => undefined, release: async () => undefined, approve: async () => undefined, reject: async () => undefined };
  const { id: sessionId, session } = await startSession(sessions, { sub: me, email: 'amara@platform.test', groups: ['ops'] }, now);
  const deps = { sessions, desk, actions, now: () => now, signInPath: () => '/ops/console/sign-in', portalUrl: () => 'https://portal.example.com' };
  return { deps, asked, cookie: `__Host-ops_session=${sessionId}`, csrf: session.csrfToken };
};

const get = (path: string, cookie: string, query?: Record<string, string>) =>
  ({
    routeKey: path.includes('/tickets/') ? 'GET /ops/console/tickets/{ticketId}' : 'GET /ops/console',
    rawPath: path,
    rawQueryString: new URLSearchParams(query).toString(),
    cookies: [cookie],
    headers: {},
    ...(query ? { queryStringParameters: query } : {}),
    pathParameters: path.includes('/tickets/') ? { ticketId: path.split('/').at(-1) } : undefined,
    requestContext: { http: { method: 'GET' } },
  }) as unknown as HttpEvent;

const post = (ticketId: string, action: string, cookie: string, body: string) =>
  ({
    routeKey: `POST /ops/console/tickets/{ticketId}/${action}`,
    rawPath: `/ops/console/tickets/${ticketId}/${action}`,
    rawQueryString: '',
    cookies: [cookie],
    headers: { origin: 'https://portal.example.com', 'content-type': 'application/x-www-form-urlencoded' },
    pathParameters: { ticketId },
    body,
    requestContext: { http: { method: 'POST' } },
  }) as unknown as HttpEvent;

const page = async (deps: Awaited<ReturnType<typeof setUp>>['deps'], event: HttpEvent) => {
  const reply = await showConsolePage(deps, event);
  return { status: reply.status, html: reply.body as string };
};

const rowOf = (html: string, ticketId: string) => new RegExp(`<tr data-ticket="${ticketId}">.*?</tr>`).exec(html)?.[0] ?? '';

describe('the queue', () => {
  it('asks the desk for the open work by default, and for every filter the form sends', async () => {
    const { deps, asked, cookie } = await setUp([]);
    await page(deps, get('/ops/console', cookie));
    await page(deps, get('/ops/console', cookie, { status: 'rejected', firmId: 'firm-south', reason: 'verification_locked', assignee: 'me', cursor: 'c1' }));
    await page(deps, get('/ops/console', cookie, { status: '', firmId: '', reason: '', assignee: 'none' }));
    expect(asked).toEqual([
      { filters: { status: 'open' }, page: { limit: 50 } },
      { filters: { status: 'rejected', firmId: 'firm-south', reason: 'verification_locked', assignee: 'me' }, page: { limit: 50, cursor: 'c1' } },
      { filters: { status: 'open', assignee: 'none' }, page: { limit: 50 } },
    ]);
  });

  it("shows each ticket's age, client, household, firm and assignee, and offers claim or release only where they apply", async () => {
    const tickets = [
      ticket(1),
      ticket(2, { assignee: me, firmId: 'firm-south', firmName: undefined, ageSeconds: 59 }),
      ticket(3, { assignee: 'ops-bruno', ageSeconds: 2 * 86400 + 4 * 3600 }),
      ticket(4, { status: 'approved', decidedBy: me }),
    ];
    const { deps, cookie } = await setUp(tickets);
    const { html } = await page(deps, get('/ops/console', cookie));
    expect(rowOf(html, id(1))).toMatch(
      /2 h 5 min.*Ngozi Okafor1.*ngozi1@client\.test.*The Okafor Family.*Northwind &lt;Wealth&gt;<br><span class="hint">firm-north<\/span>.*Unassigned.*\/claim"/,
    );
    expect(rowOf(html, id(1))).toContain('aria-label="Claim the ticket of Ngozi Okafor1"');
    expect(rowOf(html, id(2))).toMatch(/just now.*<td>firm-south<\/td>.*<td>You<\/td>.*\/release"/);
    expect(rowOf(html, id(3))).toMatch(/2 d 4 h.*<td>ops-bruno<\/td><td><\/td><\/tr>$/);
    expect(rowOf(html, id(4))).toMatch(/Approved.*<td><\/td><\/tr>$/);
    expect(html).toContain(`name="back" value="/ops/console"`);
  });

  it('pages by the desk\'s cursor with the same filters, and offers the way back to the first page', async () => {
    const { deps, cookie } = await setUp([ticket(1)]);
    const first = await page(deps, get('/ops/console', cookie, { firmId: 'firm-north', assignee: 'none' }));
    expect(first.html).toContain('<a href="/ops/console?status=open&amp;firmId=firm-north&amp;assignee=none&amp;cursor=cursor-2">Next page</a>');
    expect(first.html).not.toContain('First page');
    const later = await page(deps, get('/ops/console', cookie, { firmId: 'firm-north', assignee: 'none', cursor: 'cursor-2' }));
    expect(later.html).toContain('<a href="/ops/console?status=open&amp;firmId=firm-north&amp;assignee=none">First page</a>');
  });

  it('shows the first page of the same filters when the desk refuses a cursor, and the open work when the filters are not valid', async () => {
    const stale = new AppError('validation_error', 'Invalid cursor', [{ path: 'cursor', message: 'is not a cursor from this list' }]);
    const asked: unknown[] = [];
    const { deps, cookie } = await setUp([], async (_user, filters, request) => {
      asked.push({ ...filters, cursor: request.cursor });
      return request.cursor ? Promise.reject(stale) : { items: [ticket(1)], nextCursor: null };
    });
    const refused = await page(deps, get('/ops/console', cookie, { firmId: 'firm-north', cursor: 'forged' }));
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('That page of the queue is no longer available; showing the first page.');
    expect(refused.html).toContain(`data-ticket="${id(1)}"`);
    expect(asked).toEqual([
      { status: 'open', firmId: 'firm-north', cursor: 'forged' },
      { status: 'open', firmId: 'firm-north', cursor: undefined },
    ]);
    expect(refused.html).toContain('name="firmId" type="text" maxlength="64" placeholder="Every firm" value="firm-north"');
    const invalid = await page(deps, get('/ops/console', cookie, { status: 'all' }));
    expect(invalid.status).toBe(400);
    expect(invalid.html).toContain('These filters are not valid; showing the open work instead.');
  });
});

describe('a ticket page', () => {
  it('offers claim and both forms on an unclaimed ticket, release and the forms on your own, neither on someone else\'s', async () => {
    const { deps, cookie } = await setUp([ticket(1), ticket(2, { assignee: me, assignedAt: '2026-01-03T11:00:00Z' }), ticket(3, { assignee: 'ops-bruno' })]);
    const free = (await page(deps, get(`/ops/console/tickets/${id(1)}`, cookie))).html;
    expect(free).toContain(`/tickets/${id(1)}/claim"`);
    expect(free).toContain('Approve and send the client a new link');
    const mine = (await page(deps, get(`/ops/console/tickets/${id(2)}`, cookie))).html;
    expect(mine).toContain('<dt>Assignee</dt><dd>You<br><span class="hint">claimed 2026-01-03 11:00 UTC</span></dd>');
    expect(mine).toContain(`/tickets/${id(2)}/release"`);
    expect(mine).toContain('>Reject</button>');
    const theirs = (await page(deps, get(`/ops/console/tickets/${id(3)}`, cookie))).html;
    expect(theirs).toContain('ops-bruno is working on this ticket; only they can decide it while it is claimed.');
    expect(theirs).not.toMatch(/<form method="post" action="\/ops\/console\/tickets/);
  });

  it('shows who asked, the household and firm, the evidence and the history of a decided ticket, with no forms', async () => {
    const decided = ticket(1, {
      status: 'approved',
      assignee: me,
      decidedAt: '2026-01-03T11:40:00Z',
      decidedBy: me,
      note: 'Confirmed date of birth',
      evidence: { method: 'id_document', reference: 'passport <ends 42>' },
      history: [
        { action: 'raised', by: 'advisor-1', at: '2026-01-03T09:55:00Z' },
        { action: 'claimed', by: 'ops-bruno', at: '2026-01-03T10:10:00Z' },
        { action: 'released', by: 'ops-bruno', at: '2026-01-03T10:30:00Z' },
        { action: 'claimed', by: me, at: '2026-01-03T11:00:00Z' },
        { action: 'decided', by: me, at: '2026-01-03T11:40:00Z' },
      ],
    });
    const { deps, cookie } = await setUp([decided]);
    const { html } = await page(deps, get(`/ops/console/tickets/${id(1)}`, cookie));
    for (const shown of [
      '<dt>Household</dt><dd>The Okafor Family<br><span class="hint">' + id(101) + '</span></dd>',
      '<dt>Firm</dt><dd>Northwind &lt;Wealth&gt;<br><span class="hint">firm-north</span></dd>',
      '<dt>Inviting advisor</dt><dd>advisor-1</dd>',
      '<dt>Decided</dt><dd>2026-01-03 11:40 UTC<br><span class="hint">by You</span></dd>',
      '<dt>Evidence</dt><dd>ID document (passport &lt;ends 42&gt;)</dd>',
      '<dt>Note</dt><dd>Confirmed date of birth</dd>',
    ]) {
      expect(html).toContain(shown);
    }
    const history = [...html.matchAll(/<tr><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)].map((match) => match.slice(1).join(' | '));
    expect(history).toEqual([
      '2026-01-03 09:55 UTC | Raised | advisor-1',
      '2026-01-03 10:10 UTC | Claimed | ops-bruno',
      '2026-01-03 10:30 UTC | Released | ops-bruno',
      '2026-01-03 11:00 UTC | Claimed | You',
      '2026-01-03 11:40 UTC | Approved | You',
    ]);
    expect(html).not.toContain('<form method="post" action="/ops/console/tickets');
  });
});

describe("a use case's refusal", () => {
  const attempt = async (action: 'claim' | 'reject', error: Error, body: (csrf: string) => string) => {
    const { deps, cookie, csrf } = await setUp([ticket(1)]);
    deps.actions = { ...deps.actions, [action]: refusing(error) };
    const event = post(id(1), action, cookie, body(csrf));
    const reply = await submitConsoleAction(deps, event, action, { ok: true, data: parseFormBody(event, action === 'claim' ? claimForm : rejectForm) });
    return { status: reply.status, html: reply.body as string };
  };

  it('is the ticket page again with its status and message: 409, 403 and 400 alike', async () => {
    const cases: [number, Error][] = [
      [409, conflict('Another member of the ops team has claimed this ticket')],
      [403, new AppError('forbidden', 'You raised this ticket; another member of the ops team must work it')],
      [400, new AppError('validation_error', 'Invalid request body', [{ path: 'body.evidence', message: 'is not valid' }])],
    ];
    for (const [status, error] of cases) {
      const answer = await attempt('claim', error, (csrf) => `csrf=${csrf}`);
      expect(answer.status, error.message).toBe(status);
      expect(answer.html, error.message).toContain(`<p class="error" role="alert">${error.message.replaceAll("'", '&#39;')}</p>`);
      expect(answer.html, error.message).toContain('<h1>Verify Ngozi Okafor1</h1>');
    }
  });

  it('keeps the rejection as typed, and a failure that is not a refusal is the 500 page, not a stack', async () => {
    const kept = await attempt('reject', conflict('This ticket is already approved'), (csrf) => `csrf=${csrf}&reason=${encodeURIComponent('No answer <x>')}&method=phone&reference=`);
    expect(kept.status).toBe(409);
    expect(kept.html).toContain('No answer &lt;x&gt;</textarea>');
    const broken = await attempt('claim', new TypeError('boom'), (csrf) => `csrf=${csrf}`);
    expect(broken.status).toBe(500);
    expect(broken.html).not.toContain('boom');
  });
});

describe('a ticket age', () => {
  it('reads at a glance', () => {
    expect([0, 59, 12 * 60, 3 * 3600, 3 * 3600 + 5 * 60, 2 * 86400 + 4 * 3600, 3 * 86400].map(ageOf)).toEqual([
      'just now',
      'just now',
      '12 min',
      '3 h',
      '3 h 5 min',
      '2 d 4 h',
      '3 d',
    ]);
  });
});
