// zod/mini: the same checks as full zod without its method chains, so a bundle keeps only what it uses.
import * as z from 'zod/mini';

export type Schema = z.core.$ZodType;
export type Output<S extends Schema> = z.output<S>;

export interface Detail {
  path: string;
  message: string;
}

export type Checked<S extends Schema> = { success: true; data: Output<S> } | { success: false; details: Detail[] };

const typeNames: Record<string, string> = { object: 'an object', array: 'an array', string: 'a string', number: 'a number' };

const listed = (values: readonly unknown[]) => values.map((value) => JSON.stringify(value)).join(', ');

/**
 * What a person reads when a field has the wrong type, is missing or is not a field at all. Checks that
 * carry their own message (lib/schemas/*) keep it: zod asks this map only for issues without one.
 */
const message = (issue: z.core.$ZodRawIssue): string => {
  if (issue.code === 'unrecognized_keys') return 'is not a known field';
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && issue.input === undefined) return 'is required';
  if (issue.code === 'invalid_value') return issue.values.length === 1 ? `must be ${listed(issue.values)}` : `must be one of ${listed(issue.values)}`;
  if (issue.code === 'invalid_type') return `must be ${typeNames[issue.expected] ?? issue.expected}`;
  if (issue.code === 'too_small') return `is not valid (expected >=${issue.minimum})`;
  if (issue.code === 'too_big') return `is not valid (expected <=${issue.maximum})`;
  return 'is not valid';
};

const dotted = (path: readonly PropertyKey[]) => path.map(String).join('.');

// zod names every unknown key of an object in one issue; a person is told about the first, under its own path.
const detailOf = (issue: z.core.$ZodIssue): Detail =>
  issue.code === 'unrecognized_keys'
    ? { path: dotted([...issue.path, issue.keys[0]!]), message: issue.message }
    : { path: dotted(issue.path), message: issue.message };

/**
 * Checks a value against a schema; at most 20 details, each with its dotted path, one per field. Each check in
 * lib/schemas aborts its field on failure, so no pattern runs on a value already too long; a length check
 * still runs on a value of the wrong type that has a length (an array where text belongs), and only the
 * field's first message is kept.
 */
export const check = <S extends Schema>(schema: S, value: unknown): Checked<S> => {
  const result = z.safeParse(schema, value, { error: message });
  if (result.success) return { success: true, data: result.data };
  const byPath = new Map<string, Detail>();
  for (const issue of result.error.issues) {
    const detail = detailOf(issue);
    if (!byPath.has(detail.path)) byPath.set(detail.path, detail);
    if (byPath.size === 20) break;
  }
  return { success: false, details: [...byPath.values()] };
};
