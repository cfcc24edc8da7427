// The checks every request shares. Schemas are valibot (lib/schemas/validate.ts says why).
import * as v from 'valibot';

// No control characters: these strings end up in email bodies and, for some, in headers.
const printable = /^[^\p{Cc}\p{Cf}\u2028\u2029]*$/u;

export const text = (max: number) =>
  v.pipe(
    v.string(),
    v.trim(),
    v.minLength(1, 'must not be empty'),
    v.maxLength(max, `must be at most ${max} characters`),
    v.regex(printable, 'must not contain control characters'),
  );

export const personName = text(100);

// zod 4's email pattern, verbatim, so what was accepted before still is: apostrophes and plus tags allowed,
// no leading, trailing or doubled dots, a dotted domain with a top-level part of two letters or more.
const address = /^(?:[A-Za-z0-9_'+\-]+\.)*[A-Za-z0-9_'+\-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$/;

export const email = v.pipe(
  v.string(),
  v.trim(),
  v.maxLength(254, 'must be at most 254 characters'),
  v.regex(address, 'must be an email address'),
  v.metadata({ format: 'email' }),
);

/** Every id this service makes is a UUIDv7; any other shape names nothing. */
export const id = v.pipe(
  v.string(),
  v.regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-7[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$/, 'must be a UUIDv7'),
  v.metadata({ format: 'uuid' }),
);

const pageSizeMessage = 'must be a whole number from 1 to 100';

/** Query strings are text: a page size is one to three digits, then a number from 1 to 100. */
const pageSize = v.pipe(
  v.string(),
  v.regex(/^\d{1,3}$/, pageSizeMessage),
  v.transform(Number),
  v.minValue(1, pageSizeMessage),
  v.maxValue(100, pageSizeMessage),
);

export const listQueryEntries = {
  limit: v.optional(pageSize, '25'),
  cursor: v.optional(v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(2048, 'must be at most 2048 characters'))),
};

export const listQuery = v.strictObject(listQueryEntries);

export const noBody = v.strictObject({});
