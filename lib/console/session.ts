// Console sessions: the shared server-side sessions (lib/sessions/server-session.ts) of an ops team member.
import type { SessionStore, StoredSession as Stored } from '../sessions/server-session.ts';

export { csrfTokenMatches, endSession, resumeSession, sessionLimits, startSession } from '../sessions/server-session.ts';

/** Who is signed in to the console: only what sign-in verified, never anything a form says. In no firm: ops work every firm. */
export interface ConsoleUser {
  sub: string;
  email?: string | undefined;
  groups: string[];
}

export type StoredSession = Stored<ConsoleUser>;
export type ConsoleSessionStore = SessionStore<ConsoleUser>;
