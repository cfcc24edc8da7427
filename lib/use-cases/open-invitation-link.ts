import { AppError } from '../domain/errors.ts';
import { linkWorks, type Invitation } from '../domain/invitation.ts';
import type { AttemptCounter, InvitationStore } from '../domain/ports.ts';
import { throttleSource } from '../domain/source-address.ts';
import { hashToken } from '../domain/token.ts';

/** One answer for unknown, replaced, expired and revoked links, so none can be told apart. */
export const linkNoLongerValid = () => new AppError('not_found', 'This link is no longer valid');

export const tooManyAttempts = () => new AppError('rate_limited', 'Too many attempts from your network; please wait a few minutes');

export interface ThrottleLimits {
  /** Dead links one source may open per 10 minutes; a guesser of 256-bit tokens would need billions. */
  deadLinks: number;
  /** Wrong account numbers one source may enter per hour, across all invitations. */
  wrongNumbers: number;
}

export interface LinkDeps {
  invitations: Pick<InvitationStore, 'findByToken'>;
  now: () => Date;
  /** Counts failures per source; without it nothing is throttled. */
  attempts?: AttemptCounter;
  limits?: () => ThrottleLimits;
}

const defaultLimits: ThrottleLimits = { deadLinks: 20, wrongNumbers: 20 };
export const limitsOf = (deps: Pick<LinkDeps, 'limits'>): ThrottleLimits => deps.limits?.() ?? defaultLimits;

/** The invitation behind a link. `source` (the client's address) is counted on failure to throttle link guessing. */
export const openInvitationLink = async (deps: LinkDeps, token: string, source?: string): Promise<Invitation> => {
  const invitation = await deps.invitations.findByToken(hashToken(token));
  if (invitation && linkWorks(invitation, deps.now())) return invitation;
  await countDeadLink(deps, source);
  throw linkNoLongerValid();
};

/** A link that opens nothing, invitation or portal sign-in link alike, counts toward one budget of its source. */
export const countDeadLink = (deps: Pick<LinkDeps, 'attempts' | 'limits' | 'now'>, source: string | undefined): Promise<void> =>
  countFailure(deps, `link:${throttleSource(source)}`, { attempts: limitsOf(deps).deadLinks, windowSeconds: 600 });

/** Counts a failure and throws 429 once the source is over its limit; a counter outage never blocks clients. */
export const countFailure = async (
  deps: { attempts?: AttemptCounter; now: () => Date },
  subject: string,
  limit: { attempts: number; windowSeconds: number },
): Promise<void> => {
  if (!deps.attempts) return;
  const count = await deps.attempts.hit(subject, limit.windowSeconds, deps.now()).catch(() => 0);
  if (count > limit.attempts) throw tooManyAttempts();
};
