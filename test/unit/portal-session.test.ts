// The client portal's session: started by accepting (from the portal's own page) or by a link, kept server-side under
// the hash of the cookie's id, ended after 30 idle minutes or 12 hours whatever the activity, or by signing out.
import { describe, expect, it } from 'vitest';
import { clientKeyOf, clientOf } from '../../lib/domain/portal-access.ts';
import { hashToken } from '../../lib/domain/token.ts';
import { portalSessionCookieFor, signedOutCookie } from '../../lib/portal/portal-session.ts';
import { endSession, isExpired, resumeSession, startSession } from '../../lib/sessions/server-session.ts';
import { acceptInvitation } from '../../lib/use-cases/accept-invitation.ts';
import { minutesAfter, sent, start } from '../support/memory/fixtures.ts';
import { memoryInvitations } from '../support/memory/invitations.ts';
import { memoryPortal } from '../support/memory/portal.ts';

const client = clientOf('ann@example.com');
const hours = (n: number) => n * 60;

describe('the portal session cookie', () => {
  it('is __Host-, Secure, HttpOnly, SameSite=Lax, for the whole site, as long as a session can live', () => {
    const id = 'a'.repeat(43);
    expect(portalSessionCookieFor(id)).toBe(`__Host-portal_session=${id}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=43200`);
    expect(signedOutCookie()).toBe('__Host-portal_session=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0');
  });
});

describe('a portal session', () => {
  it('ends at 30 idle minutes exactly, and at 12 hours however active', async () => {
    const { portalSessions } = memoryPortal();
    const { id, session } = await startSession(portalSessions, client, start);
    expect(isExpired(session, minutesAfter(start, 29.99))).toBe(false);
    expect(isExpired(session, minutesAfter(start, 30))).toBe(true);
    for (let minute = 20; minute < hours(12); minute += 20) {
      expect(await resumeSession(portalSessions, id, minutesAfter(start, minute)), `${minute} min`).toMatchObject({ user: client });
    }
    expect(await resumeSession(portalSessions, id, minutesAfter(start, hours(12)))).toBeUndefined();
  });

  it('is gone for every copy of its cookie once ended, and opened by no other id', async () => {
    const { portalSessions, sessions } = memoryPortal();
    const { id } = await startSession(portalSessions, client, start);
    expect([...sessions.keys()]).toEqual([hashToken(id)]);
    expect(await resumeSession(portalSessions, `${id.slice(0, -1)}${id.endsWith('A') ? 'B' : 'A'}`, start)).toBeUndefined();
    await endSession(portalSessions, id);
    expect(await resumeSession(portalSessions, id, start)).toBeUndefined();
  });
});

describe('accepting an invitation', () => {
  const verifiedInvitation = async () => {
    const memory = memoryInvitations();
    const { change, token } = sent({ email: 'Ann@Example.com' });
    await memory.store.apply(change);
    const [key, stored] = [...memory.invitations][0]!;
    memory.invitations.set(key, { ...stored, verification: { ...stored.verification, status: 'verified' } });
    const deps = { invitations: memory.store, now: () => minutesAfter(start, 5), requestId: 'request-1' };
    return { deps, token, householdId: stored.householdId };
  };

  it('signs the client in when it may start a session, under their key and not their email, and answers as before', async () => {
    const { deps, token, householdId } = await verifiedInvitation();
    const portal = memoryPortal();
    const accepted = await acceptInvitation({ ...deps, portalSessions: portal.portalSessions }, token);
    expect(accepted).toEqual({ status: 'active', householdId, sessionId: expect.stringMatching(/^[\w-]{43}$/) });
    expect([...portal.sessions.values()].map((session) => session.user)).toEqual([{ clientKey: clientKeyOf('Ann@Example.com') }]);
  });

  it('starts no session without one to start it in, and still accepts when starting one fails', async () => {
    const plain = await verifiedInvitation();
    expect(await acceptInvitation(plain.deps, plain.token)).toEqual({ status: 'active', householdId: plain.householdId });

    const failing = await verifiedInvitation();
    const down = { ...memoryPortal().portalSessions, create: async () => Promise.reject(new Error('table down')) };
    expect(await acceptInvitation({ ...failing.deps, portalSessions: down }, failing.token)).toEqual({ status: 'active', householdId: failing.householdId });
  });
});
