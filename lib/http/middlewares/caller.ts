import { callerFrom, type Group } from '../auth.ts';
import type { HttpMiddleware } from './http-request.ts';

/** The caller check a route hands in, carrying its group so the use case's caller is typed by it. */
export type CallerCheck<G extends Group | undefined> = HttpMiddleware & { readonly group: G };

/**
 * Puts the caller (an advisor, or an ops member in no firm) from the verified claims only on the context; no claims or
 * the wrong group is refused. Handed in by the routes that have a group, so the public and invitation-token functions
 * bundle none of the claim rules (lib/http/auth.ts).
 */
export const callerFromClaims = <G extends Group>(group: G): CallerCheck<G> => ({
  group,
  before: ({ event, context }) => {
    context.caller = callerFrom(event.requestContext.authorizer?.jwt?.claims, group);
  },
});
