import { AppError } from '../domain/errors.ts';
import type { Caller } from '../domain/ports.ts';

export type Group = 'advisors' | 'ops';

type Claims = Record<string, string | number | boolean | string[] | undefined>;

/**
 * `cognito:groups` arrives as a real array from some sources and, through the HTTP API JWT
 * authorizer, as a string such as "[advisors ops]"; a JSON-looking string is accepted too.
 */
export const parseGroups = (claim: unknown): string[] => {
  if (Array.isArray(claim)) return claim.filter((g): g is string => typeof g === 'string' && g !== '');
  if (typeof claim !== 'string') return [];
  const trimmed = claim.trim();
  if (trimmed.startsWith('[') && trimmed.includes('"')) {
    try {
      return parseGroups(JSON.parse(trimmed));
    } catch {
      // not JSON after all: fall through to the bracketed list form
    }
  }
  const inner = trimmed.startsWith('[') && trimmed.endsWith(']') ? trimmed.slice(1, -1) : trimmed;
  return inner.split(/[\s,]+/).filter((g) => g !== '');
};

const firmIdPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

const optionalString = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** The caller comes only from verified claims; the body and path never name the tenant. */
export const callerFrom = (claims: Claims | undefined, group: Group): Caller => {
  if (!claims) throw new AppError('unauthorized', 'A valid bearer token is required');
  const sub = optionalString(claims.sub);
  if (sub === undefined) throw new AppError('unauthorized', 'The token names no subject');
  const groups = parseGroups(claims['cognito:groups']);
  if (!groups.includes(group)) throw new AppError('forbidden', `This route needs the ${group} group`);
  const firmId = optionalString(claims['custom:firmId']);
  if (firmId === undefined || !firmIdPattern.test(firmId)) {
    throw new AppError('forbidden', 'The token names no valid firm');
  }
  return {
    firmId,
    sub,
    groups,
    email: optionalString(claims.email),
    firmName: optionalString(claims['custom:firmName']),
  };
};
