import { describe, expect, it } from 'vitest';
import { newToken } from '../../lib/domain/token.ts';
import { apiUrl, call, newFirm, tokenFor } from '../support/api.ts';
import { linkIn, uniqueEmail, waitForMail } from '../support/mail.ts';

// The invite page over plain HTTP: what a mail scanner, a stale tab or a hand-made request gets.
const form = 'application/x-www-form-urlencoded';

const send = async (method: string, path: string, body?: string, contentType = form) => {
  const response = await fetch(`${apiUrl()}${path}`, {
    method,
    redirect: 'manual',
    ...(body === undefined ? {} : { body, headers: { 'content-type': contentType } }),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
};

const invitedClient = async () => {
  const advisor = await tokenFor('advisor', newFirm(), { firmName: 'Harbor & Stone <Wealth>' });
  const household = await call('POST', '/households', {
    token: advisor,
    body: { name: 'Page household', accounts: [{ accountNumber: '5500-1111-2222' }] },
  });
  const householdId = household.body.household.householdId as string;
  const email = uniqueEmail('page');
  await call('POST', `/households/${householdId}/invitations`, {
    token: advisor,
    body: { firstName: '<img src=x onerror=alert(1)>', lastName: 'Page', email },
  });
  const { token } = linkIn((await waitForMail(email))[0]);
  // What the advisor sees of the invitation: any write to it would show here.
  const advisorView = async () => (await call('GET', `/households/${householdId}/invitations`, { token: advisor })).body;
  return { token, page: `/invite/${token}`, advisorView };
};

const clientView = async (token: string) => (await call('GET', `/portal/invitations/${token}`)).body;

describe('the invite page over HTTP', () => {
  it('answers GET and HEAD with the same headers, HEAD without a body, and neither changes anything', async () => {
    const { token, page, advisorView } = await invitedClient();
    const before = { advisor: await advisorView(), client: await clientView(token) };

    const got = await send('GET', page);
    const head = await send('HEAD', page);
    expect(got.status).toBe(200);
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    for (const name of ['content-type', 'content-length', 'content-security-policy', 'cache-control', 'referrer-policy', 'x-content-type-options']) {
      expect(head.headers.get(name), name).toBe(got.headers.get(name));
    }
    expect(got.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(got.headers.get('cache-control')).toBe('no-store');
    expect(got.headers.get('referrer-policy')).toBe('no-referrer');
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('x-frame-options')).toBe('DENY');
    expect(got.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; require-trusted-types-for 'script'; style-src 'sha256-[A-Za-z0-9+/]+=*'$/,
    );
    expect(got.text).toContain('<label for="accountNumber">Account number</label>');

    // Every name is escaped: the firm's and the client's alike.
    expect(got.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(got.text).toContain('Harbor &amp; Stone &lt;Wealth&gt;');
    expect(got.text).not.toContain('<img');

    for (let i = 0; i < 3; i += 1) await Promise.all([send('GET', page), send('HEAD', page)]);
    expect({ advisor: await advisorView(), client: await clientView(token) }).toEqual(before);
  });

  it('answers unknown, malformed and dead links with one 404 page, as the JSON route does', async () => {
    const unknown = await send('GET', `/invite/${newToken()}`);
    expect(unknown.status).toBe(404);
    expect((await call('GET', `/portal/invitations/${newToken()}`)).status).toBe(404);
    for (const path of ['/invite/short', `/invite/${'x'.repeat(600)}`, '/invite/%3Cscript%3E']) {
      const answer = await send('GET', path);
      expect(answer.status, path).toBe(404);
      expect(answer.text, path).toBe(unknown.text);
    }
    expect(unknown.text).toContain('This link is no longer valid');
    expect(unknown.headers.get('content-security-policy')).toContain("default-src 'none'");
    const posted = await send('POST', `/invite/${newToken()}/verify`, 'accountNumber=12345678');
    expect(posted.status).toBe(404);
    expect(posted.text).toBe(unknown.text);
  });

  it('refuses bad form bodies with a 4xx page and writes nothing', async () => {
    const { token, page, advisorView } = await invitedClient();
    const before = { advisor: await advisorView(), client: await clientView(token) };
    const verify = `${page}/verify`;
    const cases: [string, string | undefined, string | undefined, number][] = [
      ['a JSON body', JSON.stringify({ accountNumber: '550011112222' }), 'application/json', 415],
      ['text/plain', 'accountNumber=550011112222', 'text/plain', 415],
      ['no body', undefined, undefined, 400],
      ['an empty field', 'accountNumber=', form, 400],
      ['a field too short', 'accountNumber=12', form, 400],
      ['an unknown field', 'accountNumber=550011112222&admin=1', form, 400],
      ['a repeated field', 'accountNumber=550011112222&accountNumber=1', form, 400],
      ['a __proto__ field', '__proto__=x&accountNumber=550011112222', form, 400],
      ['broken percent-encoding', 'accountNumber=%E0%A4%A', form, 400],
      ['a huge body', `accountNumber=${'9'.repeat(100_000)}`, form, 413],
    ];
    for (const [what, body, type, status] of cases) {
      const answer = await send('POST', verify, body, type);
      expect(answer.status, what).toBe(status);
      expect(answer.headers.get('content-type'), what).toBe('text/html; charset=utf-8');
      expect(answer.text, what).toContain('role="alert"');
    }
    const acceptWithFields = await send('POST', `${page}/accept`, 'accept=yes');
    expect(acceptWithFields.status).toBe(400);
    const acceptTooEarly = await send('POST', `${page}/accept`, '');
    expect(acceptTooEarly.status).toBe(409);
    expect(acceptTooEarly.text).toContain('verified before you can accept');
    expect({ advisor: await advisorView(), client: await clientView(token) }).toEqual(before);

    // Nothing was counted: the first wrong number still leaves four tries.
    const wrong = await send('POST', verify, 'accountNumber=9999+0000+1111');
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('You have 4 tries left.');
    expect(wrong.text).toContain('aria-invalid="true"');
  });

  it('answers a right number and an accept with 303 back to the page, and a repeated accept shows done', async () => {
    const { token, page } = await invitedClient();
    const verified = await send('POST', `${page}/verify`, 'accountNumber=5500-1111-2222');
    expect(verified.status).toBe(303);
    expect(verified.headers.get('location')).toBe(page);
    expect(verified.headers.get('cache-control')).toBe('no-store');
    expect(verified.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(verified.headers.get('referrer-policy')).toBe('no-referrer');
    expect((await send('GET', page)).text).toContain('Accept invitation');

    const accepted = await send('POST', `${page}/accept`, '');
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toBe(page);
    expect((await clientView(token)).invitation.status).toBe('accepted');
    const again = await send('POST', `${page}/accept`, '');
    expect(again.status).toBe(409);
    expect(again.text).toContain('Your portal access is active');
  });

  it('locks after five wrong numbers with a 423 page that says ops will verify the client', async () => {
    const { token, page } = await invitedClient();
    for (let left = 4; left >= 1; left -= 1) {
      const answer = await send('POST', `${page}/verify`, `accountNumber=1234567${left}`);
      expect(answer.status).toBe(422);
      expect(answer.text).toContain(`You have ${left} ${left === 1 ? 'try' : 'tries'} left.`);
    }
    const fifth = await send('POST', `${page}/verify`, 'accountNumber=12345670');
    expect(fifth.status).toBe(423);
    expect(fifth.text).toContain('We’ve asked our operations team to verify you');
    expect(fifth.text).not.toContain('<form');
    // Locked means locked: the right number is refused too, and the page stays on the locked state.
    expect((await send('POST', `${page}/verify`, 'accountNumber=550011112222')).status).toBe(423);
    const shown = await send('GET', page);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('We’ve asked our operations team to verify you');
    expect((await clientView(token)).invitation.verification.status).toBe('locked');
  });
});
