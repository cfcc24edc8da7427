// The ops console over plain HTTP: what a signed-out browser, a stale tab, a forged or cross-site post gets.
import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { documents } from '../../lib/adapters/dynamodb/client.ts';
import { mailTo } from '../support/mail.ts';
import { ConsoleClient, csrfIn, prospectTicket, ticketStatus } from './ops-console-client.ts';

const sessionItem = (cookie: string) => {
  const id = cookie.slice(cookie.indexOf('=') + 1);
  return { pk: `CONSOLE_SESSION#${createHash('sha256').update(id, 'utf8').digest('hex')}`, sk: 'SESSION' };
};
const readSession = async (cookie: string) =>
  (await documents.send(new GetCommand({ TableName: inject('tableName'), Key: sessionItem(cookie), ConsistentRead: true }))).Item;

const approval = (csrf: string) => ({ csrf, method: 'phone', reference: 'call 4411', note: 'Called the client back on the number the advisor gave' });

describe('the ops console over HTTP', () => {
  it('sends a signed-out browser to sign in and shows it no ticket data', async () => {
    const ticket = await prospectTicket({ firstName: 'Signedout', lastName: 'Client' });
    const browser = new ConsoleClient();
    for (const path of ['/ops/console', `/ops/console/tickets/${ticket.ticketId}`, `/ops/console?firmId=${ticket.firm}`]) {
      const answer = await browser.get(path);
      expect(answer.status, path).toBe(303);
      expect(answer.headers.get('location'), path).toBe(`/ops/console/local-sign-in?next=${encodeURIComponent(path)}`);
      expect(answer.text, path).toBe('');
      expect(answer.headers.get('cache-control')).toBe('no-store');
    }
    // A cookie that names no session is no session, and so is a well-formed guess.
    browser.cookie = `__Host-ops_session=${'A'.repeat(43)}`;
    expect((await browser.get(`/ops/console/tickets/${ticket.ticketId}`)).status).toBe(303);
    const signIn = await browser.get('/ops/console/local-sign-in?next=%2Fops%2Fconsole');
    expect(signIn.status).toBe(200);
    expect(signIn.text).not.toContain('Signedout');
  });

  it('keeps the session server-side: the cookie holds a random id, the table only its hash', async () => {
    const browser = new ConsoleClient();
    const answer = await browser.signIn('ops.hash@platform.test');
    const [setCookie] = answer.headers.getSetCookie();
    expect(setCookie).toMatch(/^__Host-ops_session=[A-Za-z0-9_-]{43}; Path=\/; Secure; HttpOnly; SameSite=Lax; Max-Age=43200$/);
    const stored = await readSession(browser.cookie!);
    expect(stored).toMatchObject({ entity: 'console_session', sub: 'local-ops:ops.hash@platform.test', groups: ['ops'] });
    expect(JSON.stringify(stored)).not.toContain(browser.cookie!.split('=')[1]);
    // Absolute end 12 h after sign-in; TTL at the idle end, the earlier of the two.
    expect(Date.parse(stored!.expiresAt) - Date.parse(stored!.createdAt)).toBe(12 * 3600 * 1000);
    expect(stored!.ttl).toBe(Math.ceil((Date.parse(stored!.lastSeenAt) + 30 * 60 * 1000) / 1000));
  });

  it('serves pages no-store, no-referrer, under a script-free CSP', async () => {
    const ticket = await prospectTicket();
    const browser = new ConsoleClient();
    await browser.signIn('ops.headers@platform.test');
    for (const path of ['/ops/console', `/ops/console/tickets/${ticket.ticketId}`]) {
      const page = await browser.get(path);
      expect(page.status, path).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      expect(page.headers.get('content-security-policy')).toMatch(
        /^default-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; require-trusted-types-for 'script'; style-src 'sha256-[A-Za-z0-9+/]+=*'$/,
      );
      // Inside tags only: the queue is every firm's, so another test's escaped hostile name may be on it as text.
      expect(page.text).not.toMatch(/<script|<[^>]*\son\w+\s*=/i);
    }
  });

  it('escapes every name it shows', async () => {
    const ticket = await prospectTicket({ firstName: '<img src=x onerror=alert(1)>', lastName: '"Quote\'', household: '<b>House</b>' });
    const browser = new ConsoleClient();
    await browser.signIn('ops.escape@platform.test');
    for (const path of ['/ops/console', `/ops/console/tickets/${ticket.ticketId}`]) {
      const page = await browser.get(path);
      expect(page.text, path).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(page.text, path).not.toContain('<img');
      expect(page.text, path).toContain('&quot;Quote&#39;');
    }
  });

  it('refuses a post without the CSRF token, with a wrong one, or from another origin, and changes nothing', async () => {
    const ticket = await prospectTicket();
    const browser = new ConsoleClient();
    await browser.signIn('ops.csrf@platform.test');
    const page = `/ops/console/tickets/${ticket.ticketId}`;
    const csrf = csrfIn((await browser.get(page)).text);
    const approve = `${page}/approve`;
    const otherSessionsToken = async () => {
      const other = new ConsoleClient();
      await other.signIn('ops.other@platform.test');
      return csrfIn((await other.get(page)).text);
    };
    const { csrf: _dropped, ...withoutToken } = approval(csrf);
    const refusals: [string, Record<string, string>, Record<string, string>][] = [
      ['no token', withoutToken, { origin: browser.origin }],
      ['a wrong token', approval('x'.repeat(43)), { origin: browser.origin }],
      ["another session's token", approval(await otherSessionsToken()), { origin: browser.origin }],
      ['another origin', approval(csrf), { origin: 'https://evil.example' }],
      ['a cross-site fetch', approval(csrf), { 'sec-fetch-site': 'cross-site' }],
      ['an opaque origin', approval(csrf), { origin: 'null' }],
      ['neither Origin nor Sec-Fetch-Site', approval(csrf), {}],
    ];
    for (const [what, form, headers] of refusals) {
      const answer = await browser.post(approve, form, headers);
      expect(answer.status, what).toBe(403);
      expect(answer.text, what).toContain('nothing was changed');
    }
    expect((await ticketStatus(ticket)).status).toBe('open');
    expect(await mailTo(ticket.clientEmail)).toHaveLength(1);

    const approved = await browser.post(approve, approval(csrf));
    expect(approved.status).toBe(303);
    expect(approved.headers.get('location')).toBe(`${page}?done=approved`);
    expect((await ticketStatus(ticket)).status).toBe('approved');
  });

  it('re-renders the ticket with why a decision was refused, and changes nothing', async () => {
    const ticket = await prospectTicket();
    const browser = new ConsoleClient();
    await browser.signIn('ops.refused@platform.test');
    const page = `/ops/console/tickets/${ticket.ticketId}`;
    const csrf = csrfIn((await browser.get(page)).text);
    const noMethod = await browser.post(`${page}/approve`, { csrf, method: '', reference: '', note: '' });
    expect(noMethod.status).toBe(400);
    expect(noMethod.text).toContain('Choose how you verified the client before approving.');
    expect((await ticketStatus(ticket)).status).toBe('open');

    expect((await browser.post(`${page}/reject`, { csrf, reason: 'No answer on three calls', method: 'phone', reference: '' })).status).toBe(303);
    const late = await browser.post(`${page}/approve`, approval(csrf));
    expect(late.status).toBe(409);
    expect(late.text).toContain('This ticket is already rejected');
    expect(await ticketStatus(ticket)).toMatchObject({ status: 'rejected', note: 'No answer on three calls', evidence: { method: 'phone' } });
  });

  it('shows why maker-checker refuses whoever raised the ticket, a 403 page that changes nothing', async () => {
    // The inviting advisor is also in the ops team: the console knows them by the same sub.
    const ticket = await prospectTicket({ advisorSub: 'local-ops:maker@platform.test' });
    const maker = new ConsoleClient();
    await maker.signIn('maker@platform.test');
    const page = `/ops/console/tickets/${ticket.ticketId}`;
    const csrf = csrfIn((await maker.get(page)).text);
    const approved = await maker.post(`${page}/approve`, approval(csrf));
    expect(approved.status).toBe(403);
    expect(approved.text).toContain('You raised this ticket; another member of the ops team must decide it');
    expect(approved.text).toContain('value="call 4411"');
    const claimed = await maker.post(`${page}/claim`, { csrf });
    expect(claimed.status).toBe(403);
    expect(claimed.text).toContain('You raised this ticket; another member of the ops team must work it');
    expect(await ticketStatus(ticket)).toMatchObject({ status: 'open' });
    expect((await ticketStatus(ticket)).assignee).toBeUndefined();
  });

  it('shows a queue page it cannot read any more as the first page, with why', async () => {
    const browser = new ConsoleClient();
    await browser.signIn('ops.cursor@platform.test');
    const stale = await browser.get(`/ops/console?firmId=firm-paged&cursor=${'A'.repeat(40)}.${'B'.repeat(43)}`);
    expect(stale.status).toBe(400);
    expect(stale.text).toContain('That page of the queue is no longer available; showing the first page.');
    const bad = await browser.get('/ops/console?assignee=someone');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('These filters are not valid; showing the open work instead.');
  });

  it('takes one of twenty simultaneous approvals and answers the rest with the decided ticket', async () => {
    const ticket = await prospectTicket();
    const browser = new ConsoleClient();
    await browser.signIn('ops.burst@platform.test');
    const page = `/ops/console/tickets/${ticket.ticketId}`;
    const csrf = csrfIn((await browser.get(page)).text);
    const answers = await Promise.all(Array.from({ length: 20 }, () => browser.post(`${page}/approve`, approval(csrf))));
    expect(answers.filter((answer) => answer.status >= 500)).toEqual([]);
    expect(answers.filter((answer) => answer.status === 303)).toHaveLength(1);
    expect(answers.every((answer) => answer.status === 303 || answer.status === 409)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // One fresh link for the client, however many posts arrived: the first invitation email and the approval's.
    expect(await mailTo(ticket.clientEmail)).toHaveLength(2);
  });

  it('ends a session at sign-out, after 30 idle minutes and after 12 hours', async () => {
    const ticket = await prospectTicket();
    const queue = `/ops/console?firmId=${ticket.firm}`;

    const signedOut = new ConsoleClient();
    await signedOut.signIn('ops.out@platform.test');
    const csrf = csrfIn((await signedOut.get('/ops/console')).text);
    const cookie = signedOut.cookie!;
    expect((await signedOut.post('/ops/console/sign-out', { csrf: 'wrong' })).status).toBe(403);
    const out = await signedOut.post('/ops/console/sign-out', { csrf });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/ops/console/local-sign-in');
    expect(out.headers.getSetCookie()).toEqual(['__Host-ops_session=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0']);
    expect(await readSession(cookie)).toBeUndefined();
    expect((await signedOut.get(queue)).status).toBe(303);

    for (const [what, times] of [
      ['idle', { lastSeenAt: new Date(Date.now() - 31 * 60 * 1000).toISOString() }],
      ['absolute', { expiresAt: new Date(Date.now() - 1000).toISOString() }],
    ] as const) {
      const browser = new ConsoleClient();
      await browser.signIn(`ops.${what}@platform.test`);
      expect((await browser.get(queue)).status, what).toBe(200);
      const [name, value] = Object.entries(times)[0]!;
      await documents.send(
        new UpdateCommand({ TableName: inject('tableName'), Key: sessionItem(browser.cookie!), UpdateExpression: `SET ${name} = :v`, ExpressionAttributeValues: { ':v': value } }),
      );
      expect((await browser.get(queue)).status, what).toBe(303);
      await documents.send(new DeleteCommand({ TableName: inject('tableName'), Key: sessionItem(browser.cookie!) }));
    }
  });
});
