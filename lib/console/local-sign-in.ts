// The local stack's sign-in (infra/routes.ts localOnlyRoutes, never deployed): the same session and cookie as a
// hosted sign-in, for a development member of the ops team, with no password and no user pool.
import * as z from 'zod/mini';
import type { FormOutcome, HttpEvent } from '../http/middlewares/http-request.ts';
import type { Reply } from '../http/response.ts';
import { email, pure } from '../schemas/common.ts';
import { redirect } from './console-document.ts';
import { sessionCookieFor } from './cookies.ts';
import { safeConsoleLocation } from './paths.ts';
import { fromOwnOrigin, originOf } from '../sessions/same-origin.ts';
import { startSession } from './session.ts';
import { refusedPost, unexpected, type SessionDeps } from './signed-in.ts';
import { localSignInReply } from './sign-in-pages.ts';

export const localSignInForm = /* @__PURE__ */ pure(() =>
  z.strictObject({
    email,
    next: z.optional(z.string().check(z.maxLength(600))),
  }),
);

type LocalFields = z.output<typeof localSignInForm>;

export interface LocalSignInDeps extends SessionDeps {
  portalUrl: () => string;
}

export const showLocalSignIn = (event: HttpEvent): Reply => localSignInReply(safeConsoleLocation(event.queryStringParameters?.next));

/** The development user is named by their email, so signing in again as them is the same person (maker-checker holds). */
export const localSignIn = async (deps: LocalSignInDeps, event: HttpEvent, form: FormOutcome | undefined): Promise<Reply> => {
  if (!fromOwnOrigin(event.headers, originOf(deps.portalUrl()))) return refusedPost(undefined, 'This sign-in did not come from the local sign-in page.');
  const next = safeConsoleLocation(form?.ok ? (form.data as LocalFields).next : event.queryStringParameters?.next);
  if (!form?.ok) return localSignInReply(next, 'Enter an email address.', 400);
  const fields = form.data as LocalFields;
  try {
    const user = { sub: `local-ops:${fields.email.toLowerCase()}`, email: fields.email, groups: ['ops'] };
    const { id } = await startSession(deps.sessions, user, deps.now());
    return redirect(next, [sessionCookieFor(id)]);
  } catch (error) {
    return unexpected(error);
  }
};
