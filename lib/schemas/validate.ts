// valibot: every schema and check is its own function, so a bundle keeps only the ones it uses (at most
// 8.4 KB per function, where zod/mini kept 33 KB of core and locale; README "Performance").
import * as v from 'valibot';

export type Schema = v.GenericSchema;
export type Output<S extends Schema> = v.InferOutput<S>;

export interface Detail {
  path: string;
  message: string;
}

export type Checked<S extends Schema> = { success: true; data: Output<S> } | { success: false; details: Detail[] };

const typeNames: Record<string, string> = { Object: 'an object', Array: 'an array', string: 'a string', number: 'a number' };

// What a person reads when a field has the wrong type, is missing or is not a field at all. Checks that
// carry their own message (lib/schemas/*) keep it.
v.setGlobalMessage((issue) => {
  const expected = issue.expected ?? 'something else';
  if (issue.type === 'strict_object' && expected === 'never') return 'is not a known field';
  if (issue.kind === 'schema' && issue.received === 'undefined') return 'is required';
  if (issue.type === 'picklist') return `must be one of ${expected.replace(/^\(|\)$/g, '').split(' | ').join(', ')}`;
  if (issue.kind === 'schema') return `must be ${typeNames[expected] ?? expected}`;
  return `is not valid (expected ${expected})`;
});

const pathOf = (issue: v.BaseIssue<unknown>): string => (issue.path ?? []).map((item) => String(item.key)).join('.');

/**
 * Checks a value against a schema; at most 20 details, each with its dotted path. A field's checks stop at
 * its first failure (abortPipeEarly): one message per field, and no pattern runs on a value already too long.
 */
export const check = <S extends Schema>(schema: S, value: unknown): Checked<S> => {
  const result = v.safeParse(schema, value, { abortPipeEarly: true });
  if (result.success) return { success: true, data: result.output };
  return { success: false, details: result.issues.slice(0, 20).map((issue) => ({ path: pathOf(issue), message: issue.message })) };
};
