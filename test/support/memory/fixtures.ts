// Households and invitations built the way the use cases build them, for tests with or without services.
import { newHousehold, type Household } from '../../../lib/domain/household.ts';
import { newId } from '../../../lib/domain/ids.ts';
import { send } from '../../../lib/domain/invitation-lifecycle.ts';
import { newToken } from '../../../lib/domain/token.ts';

export const firmCaller = { firmId: 'firm-a', sub: 'advisor-1', email: 'advisor@firm.test', firmName: 'A Wealth', groups: ['advisors'] };
export const start = new Date('2026-03-01T12:00:00.000Z');
export const rightNumberHash = 'hash-of-12345678';

export const prospectHousehold = newHousehold({ name: 'Prospects', members: [] }, [], firmCaller, start.toISOString());
export const clientHousehold = newHousehold(
  { name: 'Clients', members: [] },
  [{ numberHash: rightNumberHash, last4: '5678' }],
  firmCaller,
  start.toISOString(),
);

export const minutesAfter = (at: Date, minutes: number) => new Date(at.getTime() + minutes * 60_000);

/** The send transition for a new invitation, with its raw token; a test's own household, caller and client if given. */
export const sent = (
  options: {
    prospect?: boolean;
    household?: Household;
    caller?: { firmId: string; sub: string };
    client?: { firstName: string; lastName: string; email: string };
    email?: string;
    now?: Date;
    expiresInDays?: number;
  } = {},
) => {
  const token = newToken();
  const transition = send({
    household: options.household ?? (options.prospect ? prospectHousehold : clientHousehold),
    caller: options.caller ?? firmCaller,
    client: options.client ?? { firstName: 'Ann', lastName: 'Lee', email: options.email ?? 'ann@example.com' },
    ids: { invitationId: newId(), ticketId: newId() },
    token,
    expiresInDays: options.expiresInDays ?? 7,
    now: options.now ?? start,
  });
  return { ...transition, token };
};
