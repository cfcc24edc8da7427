// A namespace import lets esbuild drop the parts of zod no schema uses (`import { z }` keeps all 440 KB).
import * as z from 'zod';

// No control characters: these strings end up in email bodies and, for some, in headers.
const printable = /^[^\p{Cc}\p{Cf}\u2028\u2029]*$/u;

export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .regex(printable, 'must not contain control characters');

export const personName = text(100);

export const email = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ message: 'must be an email address' }));

export const id = z.uuid({ version: 'v7' });

export const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(2048).optional(),
});

export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string().optional(), message: z.string() }).loose()),
  }),
});

export const noBody = z.strictObject({});
