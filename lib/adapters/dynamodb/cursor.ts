import { createHmac, timingSafeEqual } from 'node:crypto';
import * as config from '../../config.ts';
import { AppError } from '../../domain/errors.ts';

type Key = Record<string, string>;

/** Which list a cursor belongs to: the partition it reads (firm and filter included) and the key attributes it names. */
export interface CursorScope {
  attribute: string;
  value: string;
  keyNames: readonly string[];
  /** Which of the lists reading one partition, when several do (a household's invitations, its events). */
  list?: string;
}

/** The key as hex in the environment (local stack, tests); in AWS the list functions name a Secrets Manager source. */
let cursorKey = async (): Promise<Buffer> => {
  const hex = config.cursorKey();
  if (hex === undefined) throw new Error('no cursor key configured');
  return Buffer.from(hex, 'hex');
};

/**
 * Where the signing key comes from, set by the functions that list (lib/adapters/cursor-key-secret.ts). Only they
 * bundle the Secrets Manager client; every other function that imports an adapter with a list method does not.
 */
export const signCursorsWith = (source: () => Promise<Buffer>): void => {
  cursorKey = source;
};

/** 128 bits of HMAC-SHA256 are plenty for a value that only ever names where a page starts. */
const macLength = 16;

const macOf = async (scope: CursorScope, payload: string): Promise<Buffer> =>
  createHmac('sha256', await cursorKey())
    .update(['cursor', scope.attribute, scope.value, scope.keyNames.join(','), ...(scope.list === undefined ? [] : [scope.list]), payload].join('\u0000'))
    .digest()
    .subarray(0, macLength);

/** Opaque to callers and signed: a cursor only ever comes back to the list (firm, partition) that handed it out. */
export const encodeCursor = async (key: Record<string, unknown> | undefined, scope: CursorScope): Promise<string | null> => {
  if (key === undefined) return null;
  const payload = Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
  return `${payload}.${(await macOf(scope, payload)).toString('base64url')}`;
};

const invalid = () => new AppError('validation_error', 'Invalid cursor', [{ path: 'cursor', message: 'is not a cursor from this list' }]);

/** The start key a cursor carries; a cursor this list did not sign (forged, tampered, truncated, foreign) is a 400. */
export const decodeCursor = async (cursor: string | undefined, scope: CursorScope): Promise<Key | undefined> => {
  if (cursor === undefined) return undefined;
  const parts = cursor.split('.');
  if (parts.length !== 2 || !/^[A-Za-z0-9_-]+$/.test(parts[0]!) || !/^[A-Za-z0-9_-]+$/.test(parts[1]!)) throw invalid();
  const [payload, mac] = parts as [string, string];
  const given = Buffer.from(mac, 'base64url');
  const expected = await macOf(scope, payload);
  // Base64 has unused bits in its last character, so compare the canonical text too: no two spellings of one cursor.
  if (given.length !== expected.length || !timingSafeEqual(given, expected) || given.toString('base64url') !== mac) throw invalid();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  // Signed by us, so only a key rotation or a bug gets here with the wrong shape; still never let it reach the table.
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) throw invalid();
  const entries = Object.entries(decoded);
  const valid =
    entries.length === scope.keyNames.length &&
    entries.every(([name, value]) => scope.keyNames.includes(name) && typeof value === 'string' && value.length > 0 && value.length <= 1024);
  if (!valid || (decoded as Key)[scope.attribute] !== scope.value) throw invalid();
  return decoded as Key;
};
