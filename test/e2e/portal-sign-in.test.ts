// Issue #15 item 1 through the HTTP API of a stack of its own (its clock is faked for the expiry rules): accepting
// signs the client in, a returning client asks for an emailed link (always 202, one body), the link's GET uses
// nothing and its POST signs in once, and the session ends idle, at 12 hours, or by signing out, server-side.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { hashToken } from '../../lib/domain/token.ts';
import type { Answer } from '../support/api.ts';
import { invitedClient } from '../support/invited-client.ts';
import { mailTo, uniqueEmail, waitForMail } from '../support/mail.ts';
import { startOwnStack, type OwnStack } from '../support/own-stack.ts';
import { atTime } from '../support/clock.ts';

let own: OwnStack;
beforeAll(async () => {
  // Every request comes from 127.0.0.1: the per-source limit is the unit tests' (test/unit/portal-sign-in.test.ts).
  own = await startOwnStack({ throttle: { deadLinks: 1_000, wrongNumbers: 1_000, signInRequests: 1_000 } });
}, 120_000);
afterAll(async () => own?.stop());
afterEach(() => void vi.useRealTimers());

const cookiePattern = /^__Host-portal_session=([A-Za-z0-9_-]{43}); Path=\/; Secure; HttpOnly; SameSite=Lax; Max-Age=43200$/;
const form = 'application/x-www-form-urlencoded';

/** What a browser on the portal's own pages sends with a post. */
const samePage = () => ({ origin: own.stack.apiUrl, 'sec-fetch-site': 'same-origin' });

const sessionCookieOf = (answer: Answer) => {
  const [set] = answer.headers.getSetCookie();
  const match = cookiePattern.exec(set ?? '');
  return match ? `__Host-portal_session=${match[1]}` : undefined;
};

const portalAs = (cookie: string | undefined) => own.api('GET', '/portal', { headers: cookie ? { cookie } : {} });
const signedIn = (page: Answer) => page.status === 200 && page.text.includes('Sign out');
const csrfIn = (page: Answer) => /name="csrf" value="([^"]+)"/.exec(page.text)?.[1];

/** A client of a household with an account, verified at their invitation link: ready to accept. */
const verifiedClient = async () => {
  const client = await invitedClient(own, '7700-1234-5678');
  expect((await own.api('POST', `/portal/invitations/${client.token}/verify`, { body: { accountNumber: '7700-1234-5678' } })).status).toBe(200);
  return client;
};

/** A client who accepted (signed in there) and so may ask for a link. */
const acceptedClient = async () => {
  const client = await verifiedClient();
  const accepted = await own.api('POST', `/portal/invitations/${client.token}/accept`, { headers: samePage() });
  return { ...client, cookie: sessionCookieOf(accepted)! };
};

/** A request as a browser's form makes it, redirects not followed: a 303 and its cookies are the answer. */
const send = async (method: string, path: string, options: { body?: string; headers?: Record<string, string> } = {}): Promise<Answer> => {
  const response = await fetch(`${own.stack.apiUrl}${path}`, { method, redirect: 'manual', headers: options.headers, body: options.body });
  return { status: response.status, headers: response.headers, body: undefined, text: await response.text() };
};

const askForLink = (email: string) => own.api('POST', '/portal/sign-in', { body: { email } });
const linkTokenIn = (text: string | undefined) => /\/portal\/sign-in\/([A-Za-z0-9_-]{43})/.exec(text ?? '')?.[1];
const newLink = async (email: string) => {
  const before = (await mailTo(email, own.stack.mailUrl)).length;
  expect((await askForLink(email)).status).toBe(202);
  return linkTokenIn((await waitForMail(email, before + 1, own.stack.mailUrl))[before]?.body.text)!;
};
const useLink = (token: string, headers: Record<string, string> = samePage()) => send('POST', `/portal/sign-in/${token}`, { headers });

const minutesFrom = (start: Date, minutes: number) => new Date(start.getTime() + minutes * 60_000);

describe('accepting the invitation', () => {
  it('signs the client in from the portal’s own origin; the portal then shows their household', async () => {
    const client = await verifiedClient();
    const accepted = await own.api('POST', `/portal/invitations/${client.token}/accept`, { headers: samePage() });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({ portalAccess: { status: 'active', householdId: client.householdId } });
    const cookie = sessionCookieOf(accepted);
    expect(cookie).toBeDefined();

    const portal = await portalAs(cookie);
    expect(signedIn(portal)).toBe(true);
    expect(portal.text).toContain('<h2 id="household-0">Guarded</h2>');
    expect(portal.text).toContain('Documents your advisor asks for will appear here.');
    expect(portal.text).toContain(`You are signed in as ${client.email}.`);
    expect(portal.headers.get('cache-control')).toBe('no-store');
    expect(portal.headers.get('content-security-policy')).toContain("form-action 'self'");

    const signedOut = await portalAs(undefined);
    expect(signedOut.status).toBe(200);
    expect(signedOut.text).toContain('<form method="post" action="/portal/sign-in">');
    expect(signedOut.text).not.toContain('Guarded');
  });

  it('answers as before but signs nobody in when no browser says the post came from the portal, or another site says it did', async () => {
    for (const headers of [{} as Record<string, string>, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }]) {
      const client = await verifiedClient();
      const accepted = await own.api('POST', `/portal/invitations/${client.token}/accept`, { headers });
      expect(accepted.body).toEqual({ portalAccess: { status: 'active', householdId: client.householdId } });
      expect(accepted.headers.getSetCookie()).toEqual([]);
    }
  });

  it('signs in from the invite page’s accept button, whose done page links to the portal', async () => {
    const client = await verifiedClient();
    const accepted = await send('POST', `/invite/${client.token}/accept`, { body: '', headers: { ...samePage(), 'content-type': form } });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toBe(`/invite/${client.token}`);
    expect(signedIn(await portalAs(sessionCookieOf(accepted)))).toBe(true);
    const done = await own.api('GET', `/invite/${client.token}`);
    expect(done.text).toContain('<a href="/portal">Go to your client portal</a>');
  });
});

describe('asking for a sign-in link', () => {
  it('answers 202 with one body for a known, an unknown, a malformed and a throttled email, after the same time', async () => {
    const client = await acceptedClient();
    const timed = async (email: string) => {
      const started = performance.now();
      const answer = await askForLink(email);
      return { status: answer.status, text: answer.text, ms: performance.now() - started };
    };
    const known = await timed(client.email);
    const unknown = await timed(uniqueEmail('stranger'));
    const malformed = await timed('not an email <at> all');
    expect(new Set([known, unknown, malformed].map(({ status, text }) => `${status} ${text}`)).size).toBe(1);
    expect(known.status).toBe(202);
    expect(JSON.parse(known.text)).toEqual({ message: expect.stringContaining('sign-in link is on its way') });
    // Each waits for the same floor (a shared, loaded machine can only add to it, so no upper bound is asserted: how
    // close the three land is the bench's to measure, not a test's).
    for (const { ms } of [known, unknown, malformed]) expect(ms).toBeGreaterThanOrEqual(990);

    const mails = await waitForMail(client.email, 2, own.stack.mailUrl);
    expect(mails[1]!.subject).toBe(`Sign in to your ${client.firm} client portal`);
    expect(linkTokenIn(mails[1]!.body.text)).toBeDefined();

    // Five links an hour per email; past that the same answer, and no email.
    for (let sent = 2; sent <= 6; sent += 1) expect((await askForLink(client.email)).text).toBe(known.text);
    expect(await mailTo(client.email, own.stack.mailUrl)).toHaveLength(1 + 5);
  });

  it('refuses a body that is not JSON or has no email field, before anything is looked up, and takes the page’s form', async () => {
    expect((await own.api('POST', '/portal/sign-in', { rawBody: '{"email":', headers: { 'content-type': 'application/json' } })).body.error.code).toBe('invalid_json');
    expect((await own.api('POST', '/portal/sign-in', { body: {} })).body.error.code).toBe('validation_error');
    expect((await own.api('POST', '/portal/sign-in', { body: { email: 'a@b.test', extra: 1 } })).status).toBe(400);

    const client = await acceptedClient();
    const page = await own.api('POST', '/portal/sign-in', { rawBody: `email=${encodeURIComponent(client.email)}`, headers: { 'content-type': form } });
    expect(page.status).toBe(202);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('Check your email');
    expect(linkTokenIn((await waitForMail(client.email, 2, own.stack.mailUrl))[1]?.body.text)).toBeDefined();
  });
});

describe('the emailed link', () => {
  it('shows its page to every GET and HEAD, signs in on the first POST only, and is then the dead-link page', async () => {
    const client = await acceptedClient();
    const token = await newLink(client.email);
    for (const method of ['GET', 'GET', 'HEAD']) {
      const page = await own.api(method, `/portal/sign-in/${token}`);
      expect(page.status, method).toBe(200);
    }
    const page = await own.api('GET', `/portal/sign-in/${token}`);
    expect(page.text).toContain(`<form method="post" action="/portal/sign-in/${token}">`);
    expect(page.text).toContain('<button type="submit">Sign in</button>');

    // Another site's form uses nothing.
    expect((await useLink(token, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' })).status).toBe(403);

    const used = await useLink(token);
    expect(used.status).toBe(303);
    expect(used.headers.get('location')).toBe('/portal');
    expect(signedIn(await portalAs(sessionCookieOf(used)))).toBe(true);

    const again = await useLink(token);
    const opened = await own.api('GET', `/portal/sign-in/${token}`);
    const unknown = await own.api('GET', `/portal/sign-in/${'x'.repeat(43)}`);
    for (const dead of [again, opened, unknown]) {
      expect(dead.status).toBe(404);
      expect(dead.text).toBe(unknown.text);
      expect(dead.headers.getSetCookie()).toEqual([]);
    }
    expect(unknown.text).toContain('This link is no longer valid');
  });

  it('is dead from its 15th minute, though still stored', async () => {
    const client = await acceptedClient();
    const issued = new Date();
    const token = await newLink(client.email);
    expect((await atTime(minutesFrom(issued, 14), () => own.api('GET', `/portal/sign-in/${token}`))).status).toBe(200);
    expect((await atTime(minutesFrom(issued, 15.1), () => own.api('GET', `/portal/sign-in/${token}`))).status).toBe(404);
    expect((await atTime(minutesFrom(issued, 15.1), () => useLink(token))).status).toBe(404);
    expect((await useLink(token)).status).toBe(303);
  });
});

describe('the portal session', () => {
  it('ends after 30 idle minutes', async () => {
    const started = new Date();
    const { cookie } = await atTime(started, acceptedClient);
    expect(signedIn(await atTime(minutesFrom(started, 29), () => portalAs(cookie)))).toBe(true);
    expect(signedIn(await atTime(minutesFrom(started, 58), () => portalAs(cookie)))).toBe(true);
    expect(signedIn(await atTime(minutesFrom(started, 88.5), () => portalAs(cookie)))).toBe(false);
  });

  it('ends 12 hours after sign-in however active', async () => {
    const started = new Date();
    const { cookie } = await atTime(started, acceptedClient);
    for (let minute = 25; minute < 12 * 60; minute += 25) {
      expect(signedIn(await atTime(minutesFrom(started, minute), () => portalAs(cookie))), `${minute} min`).toBe(true);
    }
    const ended = await atTime(minutesFrom(started, 12 * 60), () => portalAs(cookie));
    expect(signedIn(ended)).toBe(false);
    expect(ended.headers.getSetCookie()).toEqual(['__Host-portal_session=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0']);
  });

  it('is revoked server-side by signing out, which needs the portal’s origin and the session’s token', async () => {
    const { cookie } = await acceptedClient();
    const page = await portalAs(cookie);
    const csrf = csrfIn(page)!;
    const signOut = (body: string, headers: Record<string, string>) =>
      send('POST', '/portal/sign-out', { body, headers: { cookie, 'content-type': form, ...headers } });

    expect((await signOut('', samePage())).status).toBe(403);
    expect((await signOut(`csrf=${'A'.repeat(43)}`, samePage())).status).toBe(403);
    expect((await signOut(`csrf=${csrf}`, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect(signedIn(await portalAs(cookie))).toBe(true);

    const out = await signOut(`csrf=${csrf}`, samePage());
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/portal');
    expect(out.headers.getSetCookie()).toEqual(['__Host-portal_session=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0']);
    // The old cookie, wherever it was copied, names nothing now.
    expect(signedIn(await portalAs(cookie))).toBe(false);
  });

  it('is no session under a tampered or guessed cookie', async () => {
    const { cookie } = await acceptedClient();
    const id = cookie.split('=')[1]!;
    for (const tampered of [
      `__Host-portal_session=${id.slice(0, -1)}${id.endsWith('A') ? 'B' : 'A'}`,
      `__Host-portal_session=${hashToken(id).slice(0, 43)}`,
      `__Host-portal_session=${id}x`,
      `${cookie}; ${cookie}`,
      `__Host-ops_session=${id}`,
    ]) {
      expect(signedIn(await portalAs(tampered)), tampered).toBe(false);
    }
    expect(signedIn(await portalAs(cookie))).toBe(true);
  });
});
