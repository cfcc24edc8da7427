// The console's session rules, cookies and CSRF checks, with a session store in memory and the clock in hand.
import { describe, expect, it } from 'vitest';
import { clearCookie, cookieValue, sessionCookie, sessionCookieFor } from '../../lib/console/cookies.ts';
import { safeConsoleLocation } from '../../lib/console/paths.ts';
import { fromOwnOrigin, postedToken } from '../../lib/sessions/same-origin.ts';
import { csrfTokenMatches, endSession, resumeSession, startSession, type ConsoleSessionStore, type StoredSession } from '../../lib/console/session.ts';
import { hashToken } from '../../lib/domain/token.ts';

/** The store as DynamoDB keeps it: by the id's hash, with the TTL each write set. */
const memoryStore = () => {
  const items = new Map<string, { session: StoredSession; ttl: number }>();
  const writes: string[] = [];
  const store: ConsoleSessionStore = {
    create: async (session, ttl) => void items.set(session.idHash, { session, ttl }),
    get: async (idHash) => items.get(idHash)?.session,
    touch: async (idHash, lastSeenAt, ttl) => {
      writes.push(lastSeenAt);
      const item = items.get(idHash);
      if (item) items.set(idHash, { session: { ...item.session, lastSeenAt }, ttl });
    },
    remove: async (idHash) => void items.delete(idHash),
  };
  return { store, items, writes };
};

const user = { sub: 'ops-1', email: 'ops@platform.test', groups: ['ops'] };
const at = (iso: string) => new Date(iso);
const minutes = (n: number) => n * 60_000;

describe('a console session', () => {
  it('keeps only the hash of the id the cookie holds, with a CSRF token of its own', async () => {
    const { store, items } = memoryStore();
    const { id, session } = await startSession(store, user, at('2026-01-01T09:00:00Z'));
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect([...items.keys()]).toEqual([hashToken(id)]);
    expect(JSON.stringify([...items.values()])).not.toContain(id);
    expect(session.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.csrfToken).not.toBe(id);
  });

  it('lives 30 idle minutes, at most 12 hours, and is written to at most once a minute', async () => {
    const { store, items, writes } = memoryStore();
    const start = at('2026-01-01T09:00:00Z');
    const { id } = await startSession(store, user, start);
    expect(items.get(hashToken(id))!.ttl).toBe(start.getTime() / 1000 + 30 * 60);
    const after = (ms: number) => new Date(start.getTime() + ms);

    expect(await resumeSession(store, id, after(minutes(0.5)))).toBeDefined();
    expect(writes).toEqual([]);
    // Active every 25 minutes, it outlives any 30-minute window...
    for (let t = 25; t < 12 * 60; t += 25) expect(await resumeSession(store, id, after(minutes(t))), `${t} min`).toBeDefined();
    expect(items.get(hashToken(id))!.ttl).toBeLessThanOrEqual(start.getTime() / 1000 + 12 * 3600);
    // ...but not the 12 hours.
    expect(await resumeSession(store, id, after(minutes(12 * 60)))).toBeUndefined();

    const idle = await startSession(store, user, start);
    expect(await resumeSession(store, idle.id, after(minutes(29)))).toBeDefined();
    expect(await resumeSession(store, idle.id, after(minutes(29 + 30)))).toBeUndefined();
  });

  it('is gone once ended, and no id but its own opens it', async () => {
    const { store } = memoryStore();
    const now = at('2026-01-01T09:00:00Z');
    const { id } = await startSession(store, user, now);
    expect(await resumeSession(store, undefined, now)).toBeUndefined();
    expect(await resumeSession(store, `${id.slice(0, -1)}${id.endsWith('A') ? 'B' : 'A'}`, now)).toBeUndefined();
    await endSession(store, id);
    expect(await resumeSession(store, id, now)).toBeUndefined();
  });

  it("matches only its own CSRF token, whole", async () => {
    const { store } = memoryStore();
    const { session } = await startSession(store, user, at('2026-01-01T09:00:00Z'));
    expect(csrfTokenMatches(session, session.csrfToken)).toBe(true);
    for (const wrong of [undefined, '', session.csrfToken.slice(1), `${session.csrfToken}x`, session.csrfToken.toUpperCase()]) {
      expect(csrfTokenMatches(session, wrong)).toBe(false);
    }
  });
});

describe('the console cookies', () => {
  it('are __Host-, Secure, HttpOnly, SameSite=Lax, for the whole site', () => {
    expect(sessionCookieFor('a'.repeat(43))).toBe(`__Host-ops_session=${'a'.repeat(43)}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=43200`);
    expect(clearCookie(sessionCookie)).toBe('__Host-ops_session=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0');
  });

  it('are read only when sent once and in their shape', () => {
    const id = 'b'.repeat(43);
    expect(cookieValue([`other=1`, `${sessionCookie}=${id}`], sessionCookie)).toBe(id);
    expect(cookieValue([`other=1; ${sessionCookie}=${id}`], sessionCookie)).toBe(id);
    expect(cookieValue([`${sessionCookie}=${id}`, `${sessionCookie}=${'c'.repeat(43)}`], sessionCookie)).toBeUndefined();
    expect(cookieValue([`${sessionCookie}=short`], sessionCookie)).toBeUndefined();
    expect(cookieValue([`x${sessionCookie}=${id}`], sessionCookie)).toBeUndefined();
    expect(cookieValue(undefined, sessionCookie)).toBeUndefined();
  });
});

describe('a console post', () => {
  const origin = 'https://portal.example.com';

  it('is from the console when the browser says so, by Origin or by fetch metadata', () => {
    expect(fromOwnOrigin({ origin }, origin)).toBe(true);
    expect(fromOwnOrigin({ 'sec-fetch-site': 'same-origin' }, origin)).toBe(true);
    // A no-referrer page's own form: Origin "null", fetch metadata same-origin.
    expect(fromOwnOrigin({ origin: 'null', 'sec-fetch-site': 'same-origin' }, origin)).toBe(true);
    expect(fromOwnOrigin({ origin, 'sec-fetch-site': 'same-origin' }, origin)).toBe(true);
  });

  it('is refused from another origin or site, or when nothing says where it came from', () => {
    for (const headers of [
      { origin: 'https://evil.example' },
      { origin: 'https://portal.example.com.evil.example' },
      { origin: 'http://portal.example.com' },
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'none' },
      { origin, 'sec-fetch-site': 'cross-site' },
      { origin: 'null' },
      { origin: 'null', 'sec-fetch-site': 'cross-site' },
      {},
    ]) {
      expect(fromOwnOrigin(headers, origin), JSON.stringify(headers)).toBe(false);
    }
  });

  it("reads its token from the form whatever else the form holds, but only one and only from a form", () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect(postedToken({ headers: form, body: 'csrf=abc&note=x' })).toBe('abc');
    expect(postedToken({ headers: form, body: 'unknown=1&csrf=abc' })).toBe('abc');
    expect(postedToken({ headers: form, body: Buffer.from('csrf=abc').toString('base64'), isBase64Encoded: true })).toBe('abc');
    expect(postedToken({ headers: form, body: 'csrf=abc&csrf=abc' })).toBeUndefined();
    expect(postedToken({ headers: form, body: 'note=x' })).toBeUndefined();
    expect(postedToken({ headers: { 'content-type': 'application/json' }, body: '{"csrf":"abc"}' })).toBeUndefined();
    expect(postedToken({ headers: form, body: `csrf=abc&pad=${'x'.repeat(20_000)}` })).toBeUndefined();
  });
});

describe('where the console sends a browser', () => {
  it('is one of its own pages, never another site', () => {
    const ticket = '/ops/console/tickets/01890f6e-6a3b-7c2d-8e4f-1a2b3c4d5e6f';
    for (const fine of ['/ops/console', '/ops/console?status=open&firmId=firm-1', ticket]) expect(safeConsoleLocation(fine)).toBe(fine);
    for (const hostile of [
      undefined,
      'https://evil.example/ops/console',
      '//evil.example/ops/console',
      '/\\evil.example',
      '/ops/console/../../evil',
      '/ops/console@evil.example',
      '/ops/console?next=https://evil.example',
      '/ops/console/sign-out',
      `${ticket}/approve`,
      '/ops/console\r\nSet-Cookie: x=1',
    ]) {
      expect(safeConsoleLocation(hostile), String(hostile)).toBe('/ops/console');
    }
  });
});
