// The portal's sign-in rules with no service running: the emailed link (single use, 15 minutes, hashed at rest), the
// request that answers the same for every email, and the session that accepting or a link starts.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/domain/errors.ts';
import { accept } from '../../lib/domain/invitation-lifecycle.ts';
import { accessFrom, clientKeyOf, clientOf } from '../../lib/domain/portal-access.ts';
import type { OutgoingEmail } from '../../lib/domain/ports.ts';
import { issueSignInLink, signInLinkLifetimeMs, signInLinkWorks } from '../../lib/domain/sign-in-link.ts';
import { hashToken } from '../../lib/domain/token.ts';
import { requestPortalSignIn } from '../../lib/use-cases/request-portal-sign-in.ts';
import { openSignInLink, signInWithLink } from '../../lib/use-cases/sign-in-with-link.ts';
import { viewPortal } from '../../lib/use-cases/view-portal.ts';
import { minutesAfter, sent, start } from '../support/memory/fixtures.ts';
import { memoryPortal } from '../support/memory/portal.ts';

const client = clientOf('Ann.Lee@Example.com');

describe('a portal client', () => {
  it('is their email whatever its case or surrounding spaces, and no other email', () => {
    expect(clientKeyOf(' ann.lee@example.COM ')).toBe(client.clientKey);
    expect(clientKeyOf('ann.lee2@example.com')).not.toBe(client.clientKey);
    expect(client.clientKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gets access to the household whose invitation they accept, filed with the acceptance', () => {
    const invitation = { ...sent({ email: 'Ann.Lee@Example.com' }).next, verification: { method: 'account_number' as const, status: 'verified' as const, wrongAttempts: 0 } };
    const { change } = accept(invitation, minutesAfter(start, 5));
    expect(change.portalAccess).toEqual(accessFrom(invitation, minutesAfter(start, 5).toISOString()));
    expect(change.portalAccess).toMatchObject({
      clientKey: client.clientKey,
      email: 'Ann.Lee@Example.com',
      firstName: 'Ann',
      firmId: invitation.firmId,
      householdId: invitation.householdId,
      householdName: invitation.householdName,
      invitationId: invitation.invitationId,
    });
  });
});

describe('a sign-in link', () => {
  it('is 32 random bytes, stored only as its SHA-256, and works for 15 minutes', () => {
    const { token, link, ttlSeconds } = issueSignInLink(client, start);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(link)).not.toContain(token);
    expect(Date.parse(link.expiresAt) - start.getTime()).toBe(15 * 60_000);
    expect(ttlSeconds).toBe(Date.parse(link.expiresAt) / 1000);
    expect(signInLinkWorks(link, minutesAfter(start, 14.99))).toBe(true);
    expect(signInLinkWorks(link, new Date(start.getTime() + signInLinkLifetimeMs))).toBe(false);
    expect(signInLinkWorks(undefined, start)).toBe(false);
    expect(issueSignInLink(client, start).token).not.toBe(token);
  });
});

/** A portal in memory whose client has access to one household, and the emails it sends. */
const portal = (options: { limit?: number; mailDown?: boolean } = {}) => {
  const memory = memoryPortal();
  const invitation = sent({ email: client.email }).next;
  memory.accesses.push(accessFrom(invitation, start.toISOString()));
  const mails: OutgoingEmail[] = [];
  const counts = new Map<string, number>();
  const clock = { now: start };
  const deps = {
    ...memory,
    mailer: {
      send: async (email: OutgoingEmail) => {
        if (options.mailDown) throw new AppError('email_send_failed', 'SES refused ann.lee@example.com');
        mails.push(email);
      },
    },
    attempts: { hit: async (subject: string) => counts.set(subject, (counts.get(subject) ?? 0) + 1).get(subject)! },
    now: () => clock.now,
    portalUrl: () => 'https://portal.test',
    signInRequestLimit: () => options.limit ?? 20,
    answerAfterMs: 0,
  };
  const tokenIn = (mail: OutgoingEmail | undefined) => /https:\/\/portal\.test\/portal\/sign-in\/([\w-]{43})/.exec(mail?.text ?? '')?.[1];
  return { deps, memory, mails, counts, clock, tokenIn };
};

describe('asking for a sign-in link', () => {
  it('emails a known client a link to the page that signs them in, and stores only its hash and their key', async () => {
    const { deps, memory, mails, tokenIn } = portal();
    await requestPortalSignIn(deps, ' ANN.LEE@example.com ', '203.0.113.9');
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to: 'Ann.Lee@Example.com', subject: 'Sign in to your A Wealth client portal' });
    const token = tokenIn(mails[0])!;
    expect([...memory.links.keys()]).toEqual([hashToken(token)]);
    // No email: a household's deletion cannot find the link to delete it.
    expect([...memory.links.values()].map((link) => link.client)).toEqual([{ clientKey: client.clientKey }]);
    expect(mails[0]!.html).toContain(`https://portal.test/portal/sign-in/${token}`);
  });

  it('sends nothing for an unknown email or one that cannot be an address, and counts nothing for the latter', async () => {
    const { deps, memory, mails, counts } = portal();
    await requestPortalSignIn(deps, 'someone.else@example.com', '203.0.113.9');
    expect(counts.size).toBe(2);
    for (const odd of ['', 'not an email', '<script>@x', `${'a'.repeat(250)}@example.com`]) await requestPortalSignIn(deps, odd, '203.0.113.9');
    expect(mails).toEqual([]);
    expect(memory.links.size).toBe(0);
    expect([...counts.values()]).toEqual([1, 1]);
  });

  it('stops sending, silently, past five links an hour for one email or the limit of one source', async () => {
    const perEmail = portal();
    for (let i = 0; i < 7; i += 1) await requestPortalSignIn(perEmail.deps, client.email, `198.51.100.${i}`);
    expect(perEmail.mails).toHaveLength(5);

    const perSource = portal({ limit: 3 });
    for (const email of ['a@example.com', 'b@example.com', 'c@example.com', client.email]) await requestPortalSignIn(perSource.deps, email, '203.0.113.9');
    expect(perSource.mails).toEqual([]);
    await requestPortalSignIn(perSource.deps, client.email, '203.0.113.10');
    expect(perSource.mails).toHaveLength(1);
  });

  it('answers no sooner than its floor, known email or not, and SES refusing changes nothing of the answer', async () => {
    const timed = async (deps: ReturnType<typeof portal>['deps'], email: string) => {
      const at = performance.now();
      await requestPortalSignIn({ ...deps, answerAfterMs: 120 }, email, '203.0.113.9');
      return performance.now() - at;
    };
    const { deps, mails } = portal();
    // A timer may fire a millisecond or two early by performance.now(): the floor is held to within 5 ms.
    expect(await timed(deps, client.email)).toBeGreaterThanOrEqual(115);
    expect(await timed(deps, 'nobody@example.com')).toBeGreaterThanOrEqual(115);
    expect(mails).toHaveLength(1);
    await expect(requestPortalSignIn(portal({ mailDown: true }).deps, client.email, '203.0.113.9')).resolves.toBeUndefined();
  });
});

describe('following a sign-in link', () => {
  const linked = async () => {
    const system = portal();
    await requestPortalSignIn(system.deps, client.email, '203.0.113.9');
    return { ...system, token: system.tokenIn(system.mails[0])! };
  };

  it('shows its page as often as it is opened, and signs in once: the session is the client’s key, their email read from their access', async () => {
    const { deps, memory, token } = await linked();
    await openSignInLink(deps, token, '203.0.113.9');
    await openSignInLink(deps, token, '203.0.113.9');
    const id = await signInWithLink(deps, token, '203.0.113.9');
    expect([...memory.sessions.values()].map((session) => session.user)).toEqual([{ clientKey: client.clientKey }]);
    expect((await viewPortal(deps, memory.sessions.get(hashToken(id))!.user))?.client).toEqual(client);
    expect([...memory.sessions.keys()]).toEqual([hashToken(id)]);
    await expect(signInWithLink(deps, token, '203.0.113.9')).rejects.toMatchObject({ code: 'not_found' });
    await expect(openSignInLink(deps, token, '203.0.113.9')).rejects.toMatchObject({ code: 'not_found' });
    expect(memory.sessions.size).toBe(1);
  });

  it('is dead from its 15th minute, and for a client with no household left; a dead one counts toward its source', async () => {
    const expired = await linked();
    expired.clock.now = minutesAfter(start, 15);
    await expect(openSignInLink(expired.deps, expired.token, '203.0.113.9')).rejects.toMatchObject({ code: 'not_found' });
    await expect(signInWithLink(expired.deps, expired.token, '203.0.113.9')).rejects.toMatchObject({ code: 'not_found' });
    expect(expired.counts.get('link:203.0.113.9')).toBe(2);

    const orphaned = await linked();
    orphaned.memory.accesses.length = 0;
    await expect(signInWithLink(orphaned.deps, orphaned.token, '203.0.113.9')).rejects.toMatchObject({ code: 'not_found' });
    expect(orphaned.memory.sessions.size).toBe(0);
  });
});
