// Browser sessions kept server-side (the ops console's and the client portal's): the browser holds only a random id,
// the table only its hash, so a session can be ended (sign-out, or deleting the item) and a leaked table holds no
// working cookie. What a session is for (an ops user, a client) is its `user`; the rules here are the same for both.
import { timingSafeEqual } from 'node:crypto';
import { hashToken, newToken } from '../domain/token.ts';

export interface StoredSession<U> {
  /** SHA-256 of the cookie's id: the item's key. */
  idHash: string;
  /** Who signed in: only what sign-in verified, never anything a form says. */
  user: U;
  /** Sent in every form of the session's pages and checked on every post. */
  csrfToken: string;
  createdAt: string;
  lastSeenAt: string;
  /** The absolute end, however busy the session is. */
  expiresAt: string;
}

export interface SessionStore<U> {
  create(session: StoredSession<U>, ttlSeconds: number): Promise<void>;
  get(idHash: string): Promise<StoredSession<U> | undefined>;
  /** Records activity; a session deleted meanwhile (signed out) stays deleted. */
  touch(idHash: string, lastSeenAt: string, ttlSeconds: number): Promise<void>;
  remove(idHash: string): Promise<void>;
}

export const sessionLimits = {
  absoluteMs: 12 * 60 * 60 * 1000,
  idleMs: 30 * 60 * 1000,
  /** Activity is written at most this often: a page view need not be a write. */
  touchEveryMs: 60 * 1000,
} as const;

/** When DynamoDB may delete the item: the earlier of the absolute end and the idle end. */
const ttlOf = (session: Pick<StoredSession<unknown>, 'lastSeenAt' | 'expiresAt'>): number =>
  Math.ceil(Math.min(Date.parse(session.expiresAt), Date.parse(session.lastSeenAt) + sessionLimits.idleMs) / 1000);

/** A new session for a verified user; the id goes into the cookie and nowhere else. */
export const startSession = async <U>(store: SessionStore<U>, user: U, now: Date): Promise<{ id: string; session: StoredSession<U> }> => {
  const id = newToken();
  const at = now.toISOString();
  const session: StoredSession<U> = {
    idHash: hashToken(id),
    user,
    csrfToken: newToken(),
    createdAt: at,
    lastSeenAt: at,
    expiresAt: new Date(now.getTime() + sessionLimits.absoluteMs).toISOString(),
  };
  await store.create(session, ttlOf(session));
  return { id, session };
};

export const isExpired = (session: Pick<StoredSession<unknown>, 'lastSeenAt' | 'expiresAt'>, now: Date): boolean =>
  now.getTime() >= Date.parse(session.expiresAt) || now.getTime() >= Date.parse(session.lastSeenAt) + sessionLimits.idleMs;

/** The live session a cookie names, its activity recorded; an unknown, expired or idle one is no session. */
export const resumeSession = async <U>(store: SessionStore<U>, id: string | undefined, now: Date): Promise<StoredSession<U> | undefined> => {
  if (id === undefined) return undefined;
  const session = await store.get(hashToken(id));
  // TTL deletes lazily, so an expired item may still be read: the times decide, never the item's presence.
  if (!session || isExpired(session, now)) return undefined;
  if (now.getTime() - Date.parse(session.lastSeenAt) < sessionLimits.touchEveryMs) return session;
  const touched = { ...session, lastSeenAt: now.toISOString() };
  await store.touch(session.idHash, touched.lastSeenAt, ttlOf(touched));
  return touched;
};

export const endSession = <U>(store: SessionStore<U>, id: string): Promise<void> => store.remove(hashToken(id));

/** Constant-time, so a guess learns nothing from how long the refusal took. */
export const csrfTokenMatches = (session: Pick<StoredSession<unknown>, 'csrfToken'>, given: string | undefined): boolean => {
  if (given === undefined) return false;
  const expected = Buffer.from(session.csrfToken, 'utf8');
  const actual = Buffer.from(given, 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
};
