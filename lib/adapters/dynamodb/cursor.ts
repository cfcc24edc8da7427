import { AppError } from '../../domain/errors.ts';

type Key = Record<string, string>;

/** Opaque to callers; decoding checks the key belongs to the partition being read, so a cursor can't cross firms. */
export const encodeCursor = (key: Record<string, unknown> | undefined): string | null =>
  key === undefined ? null : Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');

export const decodeCursor = (
  cursor: string | undefined,
  expected: { attribute: string; value: string },
  keyNames: readonly string[],
): Key | undefined => {
  if (cursor === undefined) return undefined;
  const invalid = new AppError('validation_error', 'Invalid cursor', [{ path: 'cursor', message: 'is not a cursor from this list' }]);
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) throw invalid;
  const entries = Object.entries(decoded);
  const valid =
    entries.length === keyNames.length &&
    entries.every(([name, value]) => keyNames.includes(name) && typeof value === 'string' && value.length <= 1024);
  if (!valid || (decoded as Key)[expected.attribute] !== expected.value) throw invalid;
  return decoded as Key;
};
