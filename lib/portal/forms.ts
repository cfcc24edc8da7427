// What the portal's posts may hold, checked like every request (lib/schemas/validate.ts).
import * as z from 'zod/mini';
import { pure } from '../schemas/common.ts';

/**
 * A sign-in request, as JSON or as the sign-in page's form. Any string is taken as the email: one that cannot be an
 * address is answered as every other (202) and sent nothing, so no answer says which addresses are known.
 */
export const signInRequestBody = /* @__PURE__ */ pure(() => z.strictObject({ email: z.string().check(z.maxLength(320)) }));

/** Sign-out carries only the session's token. */
export const signOutForm = /* @__PURE__ */ pure(() => z.strictObject({ csrf: z.string().check(z.maxLength(128)) }));
