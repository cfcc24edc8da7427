import { callerFrom, type Group } from '../auth.ts';
import type { HttpMiddleware } from './http-request.ts';

/** Puts the caller (an advisor, or an ops member in no firm) from the verified claims only on the context; no claims or the wrong group is refused. */
export const callerFromClaims = (group: Group): HttpMiddleware => ({
  before: ({ event, context }) => {
    context.caller = callerFrom(event.requestContext.authorizer?.jwt?.claims, group);
  },
});
