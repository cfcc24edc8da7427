import { AppError } from '../domain/errors.ts';
import type { Caller, OpsCaller } from '../domain/ports.ts';
import { cutForDisplay, firmNameMaxLength } from '../schemas/invitations.ts';

export type Group = 'advisors' | 'ops';

/** Who a route's group makes the caller: an advisor of one firm, a member of the ops team in none, or nobody. */
export type CallerOf<G extends Group | undefined> = G extends 'ops' ? OpsCaller : G extends 'advisors' ? Caller : undefined;

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
/** A Cognito sub is a UUID; 128 printable characters leave room for other issuers and stay inside every key and message. */
const subPattern = /^[^\p{Cc}\p{Cf}\s]{1,128}$/u;
/** RFC 5321's 254, one @, no whitespace or control characters: the address is used to email the advisor. */
const emailPattern = /^[^\p{Cc}\p{Cf}\s@]{1,64}@[^\p{Cc}\p{Cf}\s@]{1,189}$/u;
const maxGroups = 20;
const maxGroupLength = 128;
const maxGroupsClaimLength = 4096;

const optionalString = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

const refuse = (message: string) => new AppError('unauthorized', message);

/** Every claim is bounded here, so nothing downstream (keys, queue messages, emails) meets a value it would refuse. */
const boundedGroups = (claim: unknown): string[] => {
  if (typeof claim === 'string' && claim.length > maxGroupsClaimLength) throw refuse('The token carries too many groups');
  const groups = parseGroups(claim);
  if (groups.length > maxGroups || groups.some((g) => g.length > maxGroupLength)) throw refuse('The token carries too many or too long groups');
  return groups;
};

/** Display only: longer than a queue message allows is cut (Cognito allows 256), never refused. */
const displayFirmName = (claim: unknown): string | undefined => {
  const name = optionalString(claim)?.replace(/[\p{Cc}\p{Cf}\u2028\u2029]+/gu, ' ').trim();
  return name ? cutForDisplay(name, firmNameMaxLength).trim() || undefined : undefined;
};

/** Who the token names, bounded, and that they are in the route's group: all any caller needs. */
const memberFrom = (claims: Claims | undefined, group: Group): OpsCaller => {
  if (!claims) throw new AppError('unauthorized', 'A valid bearer token is required');
  const sub = optionalString(claims.sub);
  if (sub === undefined) throw new AppError('unauthorized', 'The token names no subject');
  if (!subPattern.test(sub)) throw refuse('The token subject is not valid (at most 128 printable characters)');
  const email = optionalString(claims.email);
  if (email !== undefined && (email.length > 254 || !emailPattern.test(email))) throw refuse('The token email is not a valid address');
  const groups = boundedGroups(claims['cognito:groups']);
  if (!groups.includes(group)) throw new AppError('forbidden', `This route needs the ${group} group`);
  return { sub, email, groups };
};

/**
 * The caller comes only from verified claims; the body and path never name the tenant. An advisor needs a valid
 * firm; the ops team works every firm, so on an ops route a firm claim is not read at all, however it looks.
 */
export const callerFrom = <G extends Group>(claims: Claims | undefined, group: G): CallerOf<G> => {
  const member = memberFrom(claims, group);
  if (group === 'ops') return member as CallerOf<G>;
  const firmId = optionalString(claims?.['custom:firmId']);
  if (firmId === undefined || !firmIdPattern.test(firmId)) {
    throw new AppError('forbidden', 'The token names no valid firm');
  }
  const advisor: Caller = { firmId, ...member, firmName: displayFirmName(claims?.['custom:firmName']) };
  return advisor as CallerOf<G>;
};
