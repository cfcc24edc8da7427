// The checks every request shares. Schemas are zod/mini (lib/schemas/validate.ts turns their issues into messages).
import * as z from 'zod/mini';

/**
 * Module-level schemas are written `/* @__PURE__ *\/ pure(() => ...)` so that a function which never uses one
 * leaves it out of its bundle, and every schema it reaches too (2-7 KB a function, npm run bench -- --sizes).
 * Without the mark esbuild must keep any module-level call of another module, zod's builders included; and it
 * keeps the calls in a marked call's arguments, hence the thunk. test/unit/schema-bundles.test.ts holds to it.
 */
export const pure = <T>(build: () => T): T => build();

/** A check's own message, and the end of that field's checks when it fails: one message per field. */
export const stopWith = (message: string) => ({ error: message, abort: true });
/** A failing bound ends the field's checks with the generic message (validate.ts words it). */
export const stop = { abort: true } as const;

// No control characters: these strings end up in email bodies and, for some, in headers.
const printable = /^[^\p{Cc}\p{Cf}\u2028\u2029]*$/u;

export const text = (max: number) =>
  z.string().check(
    z.trim(),
    z.minLength(1, stopWith('must not be empty')),
    z.maxLength(max, stopWith(`must be at most ${max} characters`)),
    z.regex(printable, stopWith('must not contain control characters')),
  );

export const personName = /* @__PURE__ */ pure(() => text(100));

/**
 * zod's own email pattern (z.regexes.email, test/unit/schemas.test.ts keeps them equal): apostrophes and plus
 * tags allowed, no leading, trailing or doubled dots, a dotted domain with a top-level part of two letters or
 * more. Copied because reaching it through z.regexes bundles every pattern zod has (+6.6 KB).
 */
export const emailPattern = /^(?:[A-Za-z0-9_'+\-]+\.)*[A-Za-z0-9_'+\-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$/;

// Checked only once the length is known to be sane.
export const email = /* @__PURE__ */ pure(() =>
  z.string().check(
    z.trim(),
    z.maxLength(254, stopWith('must be at most 254 characters')),
    z.regex(emailPattern, stopWith('must be an email address')),
  ),
);

/** Every id this service makes is a UUIDv7; any other shape names nothing. */
export const id = /* @__PURE__ */ pure(() =>
  z.string().check(
    z.regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-7[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$/, stopWith('must be a UUIDv7')),
  ),
);

const pageSizeMessage = 'must be a whole number from 1 to 100';

/** Query strings are text: a page size is one to three digits, then a number from 1 to 100. */
const pageSize = /* @__PURE__ */ pure(() =>
  z.pipe(
    z.pipe(z.string().check(z.regex(/^\d{1,3}$/, stopWith(pageSizeMessage))), z.transform(Number)),
    z.number().check(z.gte(1, stopWith(pageSizeMessage)), z.lte(100, stopWith(pageSizeMessage))),
  ),
);

export const listQueryEntries = /* @__PURE__ */ pure(() => ({
  limit: z.prefault(pageSize, '25'),
  cursor: z.optional(z.string().check(z.minLength(1, stopWith('must not be empty')), z.maxLength(2048, stopWith('must be at most 2048 characters')))),
}));

export const listQuery = /* @__PURE__ */ pure(() => z.strictObject(listQueryEntries));

export const noBody = /* @__PURE__ */ pure(() => z.strictObject({}));
