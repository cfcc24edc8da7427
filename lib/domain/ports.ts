// What the use cases need from the outside world; adapters in lib/adapters implement these.
import type { Household, StoredAccount } from './household.ts';
import type { HouseholdStatus } from '../schemas/households.ts';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

export interface HouseholdStore {
  /** Fails with conflict if the id is taken (it never should be). */
  create(household: Household): Promise<void>;
  get(firmId: string, householdId: string): Promise<Household | undefined>;
  list(firmId: string, filter: { status?: HouseholdStatus | undefined }, page: PageRequest): Promise<Page<Household>>;
  /** Appends the account and makes the household a client; conflict if that number is already linked. */
  addAccount(firmId: string, householdId: string, account: StoredAccount, now: string): Promise<Household>;
}

export interface AccountHasher {
  /** Keyed hash of a normalized account number, scoped to the firm. */
  hash(firmId: string, normalizedNumber: string): Promise<string>;
}

export interface Caller {
  firmId: string;
  sub: string;
  email?: string | undefined;
  firmName?: string | undefined;
  groups: string[];
}
