// A returning client's emailed sign-in link: single use, 15 minutes, and like an invitation link only its SHA-256 is
// stored (token.ts), so a leaked table holds no working link.
import type { PortalUser } from './portal-access.ts';
import { hashToken, newToken } from './token.ts';

export const signInLinkLifetimeMs = 15 * 60 * 1000;

export interface SignInLink {
  tokenHash: string;
  client: PortalUser;
  createdAt: string;
  expiresAt: string;
}

export interface SignInLinkStore {
  /** Files a new link until its expiry (`ttlSeconds`, when DynamoDB may delete it). */
  save(link: SignInLink, ttlSeconds: number): Promise<void>;
  /** Reads a link without using it: what showing its page needs. */
  find(tokenHash: string): Promise<SignInLink | undefined>;
  /** Deletes and returns the link if it is still unexpired at `now`: of two simultaneous uses, one gets it. */
  take(tokenHash: string, now: Date): Promise<SignInLink | undefined>;
}

/** How many links may be asked for before more are quietly not sent. */
export const signInRequestLimits = {
  /** Per client email: enough for a lost email or two, never an inbox flood. */
  perEmail: { attempts: 5, windowSeconds: 60 * 60 },
  /** Per source network (source-address.ts), whatever emails it names; its count is configured (config.ts). */
  perSourceWindowSeconds: 10 * 60,
} as const;

/** A new link for `client`: the token goes into the email and nowhere else. */
export const issueSignInLink = (client: PortalUser, now: Date): { token: string; link: SignInLink; ttlSeconds: number } => {
  const token = newToken();
  const expiresAt = new Date(now.getTime() + signInLinkLifetimeMs);
  return {
    token,
    link: { tokenHash: hashToken(token), client, createdAt: now.toISOString(), expiresAt: expiresAt.toISOString() },
    ttlSeconds: Math.ceil(expiresAt.getTime() / 1000),
  };
};

/** TTL deletes late: the expiry decides, never the item's presence. */
export const signInLinkWorks = (link: SignInLink | undefined, now: Date): link is SignInLink =>
  link !== undefined && now.getTime() < Date.parse(link.expiresAt);
