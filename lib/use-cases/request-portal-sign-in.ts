import type { AppError } from '../domain/errors.ts';
import { clientKeyOf, type PortalAccessStore } from '../domain/portal-access.ts';
import type { AttemptCounter, Mailer } from '../domain/ports.ts';
import { issueSignInLink, signInRequestLimits, type SignInLinkStore } from '../domain/sign-in-link.ts';
import { throttleSource } from '../domain/source-address.ts';
import { signInLink, signInLinkEmail } from '../email/messages.ts';
import { logger } from '../logger.ts';
import { emailPattern } from '../schemas/common.ts';
import { sleep } from '../sleep.ts';

export interface SignInRequestDeps {
  portalAccess: PortalAccessStore;
  signInLinks: Pick<SignInLinkStore, 'save'>;
  mailer: Mailer;
  attempts: AttemptCounter;
  now: () => Date;
  portalUrl: () => string;
  /** Requests one source network may make per 10 minutes (config.signInRequestLimit). */
  signInRequestLimit: () => number;
  /** No answer comes sooner than this after the request, whatever it found; a test shortens it. */
  answerAfterMs?: number;
}

/**
 * Longer than what a known email costs (two counts, a Query, a put and one SES send, about 150 ms in AWS), so a
 * known and an unknown email answer after the same time. A send slower than this still shows; SES rarely is.
 */
export const signInAnswerAfterMs = 1_000;

/** Sends a link if the email has portal access and no limit is reached; says nothing about which happened. */
const sendLinkIfKnown = async (deps: SignInRequestDeps, email: string, source: string | undefined): Promise<void> => {
  // An address that cannot be one is known to no client: nothing to count or look up.
  if (email.length > 254 || !emailPattern.test(email)) return;
  const now = deps.now();
  const clientKey = clientKeyOf(email);
  const [fromSource, forEmail] = await Promise.all([
    deps.attempts.hit(`sign-in:${throttleSource(source)}`, signInRequestLimits.perSourceWindowSeconds, now),
    deps.attempts.hit(`sign-in-email:${clientKey}`, signInRequestLimits.perEmail.windowSeconds, now),
  ]);
  if (fromSource > deps.signInRequestLimit() || forEmail > signInRequestLimits.perEmail.attempts) return;
  const accesses = await deps.portalAccess.accessesOf(clientKey);
  const first = accesses[0];
  if (!first) return;
  const { token, link, ttlSeconds } = issueSignInLink({ clientKey }, now);
  await deps.signInLinks.save(link, ttlSeconds);
  await deps.mailer.send(signInLinkEmail(first, signInLink(deps.portalUrl(), token), accesses.length));
};

/**
 * `POST /portal/sign-in`: a returning client asks for a sign-in link by email. Every request ends the same way, at
 * the same time, so the answer reveals neither whether the email has portal access nor whether a limit was reached;
 * a failure on the way (the table, SES) is logged, never shown.
 */
export const requestPortalSignIn = async (deps: SignInRequestDeps, email: string, source: string | undefined): Promise<void> => {
  const started = performance.now();
  try {
    await sendLinkIfKnown(deps, email.trim(), source);
  } catch (error) {
    // The name only: SES's messages can quote the address.
    logger.error('portal sign-in link not sent', {
      error: error instanceof Error ? { name: error.name, code: (error as AppError).code } : 'unknown',
    });
  }
  await sleep(Math.max(0, (deps.answerAfterMs ?? signInAnswerAfterMs) - (performance.now() - started)));
};
