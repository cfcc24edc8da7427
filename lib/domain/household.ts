import type { CreateHouseholdInput, HouseholdStatus } from '../schemas/households.ts';
import type { HouseholdView } from '../schemas/views.ts';
import type { AuditEvent, Happening } from './audit.ts';
import { newId } from './ids.ts';

/** An account as stored: the full number never leaves the request that carried it. */
export interface StoredAccount {
  accountId: string;
  last4: string;
  custodian?: string;
  /** Keyed hash (HMAC-SHA256) of the normalized account number. */
  numberHash: string;
}

export interface Household {
  firmId: string;
  householdId: string;
  name: string;
  status: HouseholdStatus;
  members: HouseholdView['members'];
  accounts: StoredAccount[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface HashedAccount {
  numberHash: string;
  last4: string;
  custodian?: string;
}

/** Accounts one household may hold, at creation and by linking; keeps its item far below DynamoDB's 400 KB. */
export const maxAccountsPerHousehold = 50;

/** A household without accounts is a prospect; one account makes it a client. */
export const statusFor = (accounts: readonly unknown[]): HouseholdStatus => (accounts.length > 0 ? 'client' : 'prospect');

export const lastFour = (normalizedNumber: string): string => normalizedNumber.slice(-4);

export const storedAccount = (account: HashedAccount): StoredAccount => ({
  accountId: newId(),
  last4: account.last4,
  numberHash: account.numberHash,
  ...(account.custodian === undefined ? {} : { custodian: account.custodian }),
});

export const newHousehold = (
  input: Pick<CreateHouseholdInput, 'name' | 'members'>,
  accounts: readonly HashedAccount[],
  caller: { firmId: string; sub: string },
  now: string,
): Household => {
  const stored = accounts.map(storedAccount);
  return {
    firmId: caller.firmId,
    householdId: newId(),
    name: input.name,
    status: statusFor(stored),
    members: input.members.map((member) => ({ memberId: newId(), ...member })),
    accounts: stored,
    createdBy: caller.sub,
    createdAt: now,
    updatedAt: now,
  };
};

/** A new household, for its trail: a prospect, or a client when it came with accounts. */
export const creation = (household: Household): Happening => ({ action: 'household.created', at: household.createdAt, from: null, to: household.status });

/** Linking an account, for the trail: the first converts a prospect into a client; later ones leave it one. */
export const linking = (household: Pick<Household, 'status'>, at: string): Happening =>
  household.status === 'prospect'
    ? { action: 'household.converted', at, from: 'prospect', to: 'client' }
    : { action: 'household.account_linked', at, from: 'client', to: 'client' };

/** An account to link to a household as it was read, with the events that record it; written only while its status is as read. */
export interface AccountLink {
  firmId: string;
  householdId: string;
  account: StoredAccount;
  at: string;
  /** The number's hashes under the previous key during a key rotation: none of them may be linked either. */
  sameNumber: string[];
  statusAsRead: HouseholdStatus;
  events: AuditEvent[];
}

export const householdView = (household: Household): HouseholdView => ({
  householdId: household.householdId,
  name: household.name,
  status: household.status,
  members: household.members,
  accounts: household.accounts.map(({ accountId, last4, custodian }) => ({
    accountId,
    last4,
    ...(custodian === undefined ? {} : { custodian }),
  })),
  createdAt: household.createdAt,
  updatedAt: household.updatedAt,
});
