// zod/mini, imported as a namespace: functions instead of methods, so esbuild keeps only the checks used.
import * as z from 'zod/mini';
import { en } from 'zod/locales';

// zod/mini loads no locale; English gives the same default messages full zod did ("Invalid UUID", "Unrecognized key").
z.config(en());

// No control characters: these strings end up in email bodies and, for some, in headers.
const printable = /^[^\p{Cc}\p{Cf}\u2028\u2029]*$/u;

export const text = (max: number) =>
  z.string().check(
    z.trim(),
    z.minLength(1, 'must not be empty'),
    z.maxLength(max, `must be at most ${max} characters`),
    z.regex(printable, 'must not contain control characters'),
  );

export const personName = text(100);

export const email = z.pipe(
  z.string().check(z.trim(), z.maxLength(254, 'must be at most 254 characters')),
  z.email('must be an email address'),
);

export const id = z.uuid({ version: 'v7' });

export const listQuery = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 25),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
});

export const listOf = <T extends z.ZodMiniType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.nullable(z.string()) });

export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.looseObject({ path: z.optional(z.string()), message: z.string() })),
  }),
});

export const noBody = z.strictObject({});
