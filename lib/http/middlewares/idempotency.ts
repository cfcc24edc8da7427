import { OutOfTimeError } from '../deadline.ts';
import {
  claimKey,
  idempotencyKeyOf,
  requestHash,
  requestMarker,
  settleAnswer,
  settleFailure,
  type HeldClaim,
  type IdempotencyStore,
} from '../idempotency.ts';
import { bodyText } from '../request.ts';
import type { Reply } from '../response.ts';
import { answerEarly } from './early-answer.ts';
import type { HttpMiddleware, HttpRequest } from './http-request.ts';

const claimKeyName = 'idempotencyClaim';
/** A racing retry stops waiting for the first answer this long before the function's deadline. */
const waitMarginMs = 2_000;

/** Takes the claim off the request, so it is settled once whichever hook gets there first. */
const takeClaim = (request: HttpRequest): HeldClaim | undefined => {
  const claim = request.internal[claimKeyName] as HeldClaim | undefined;
  delete request.internal[claimKeyName];
  return claim;
};

/**
 * A POST with an Idempotency-Key runs once per key: a retry gets the first answer (marked idempotent-replayed),
 * the same key with another request is 422. Keys are per caller (or per invitation link), never shared across
 * firms, so this runs after the caller is known. This is the API's one idempotency mechanism: a store that saves
 * something new writes what it saved onto this same claim, in the same transaction (see RequestMarker).
 */
export const idempotencyKeys = (store: IdempotencyStore): HttpMiddleware => ({
  before: async (request) => {
    const { event, context } = request;
    const { method } = event.requestContext.http;
    if (method !== 'POST' && method !== 'DELETE') return undefined;
    const key = idempotencyKeyOf(event.headers);
    if (key === undefined) return undefined;
    const { caller } = context;
    // An ops member is in no firm: their keys are theirs alone, and ':' is in no firm id, so no advisor's match.
    const scope = !caller
      ? `link#${requestHash([event.pathParameters?.token])}`
      : 'firmId' in caller
        ? `${caller.firmId}#${caller.sub}`
        : `ops:${caller.sub}`;
    const scopedKey = `${scope}#${key}`;
    const hash = requestHash([event.routeKey, event.rawPath, bodyText(event)]);
    const remaining = context.getRemainingTimeInMillis?.();
    const waitUntil = remaining === undefined ? undefined : Date.now() + remaining - waitMarginMs;
    const claimed = await claimKey(store, scopedKey, hash, undefined, waitUntil);
    if ('replay' in claimed) return answerEarly(request, claimed.replay);
    const held: HeldClaim = { key: scopedKey, owner: claimed.owner };
    request.internal[claimKeyName] = held;
    // The use case gets the claim only as an opaque marker, which its store writes with the change it makes.
    context.requestMarker = requestMarker(held);
    return undefined;
  },
  after: async (request) => {
    const claim = takeClaim(request);
    if (claim) await settleAnswer(store, claim.key, claim.owner, request.response as Reply);
  },
  onError: async (request) => {
    const claim = takeClaim(request);
    // Cut short by the deadline, the work may still finish: the claim stays in progress until its lease ends.
    if (!claim || request.error instanceof OutOfTimeError) return;
    await settleFailure(store, claim.key, claim.owner, request.error);
  },
});
