// The single table's keys and indexes, read by the CDK stack and by the local stack that creates the table.

export const tableKeys = { partitionKey: 'pk', sortKey: 'sk' } as const;

/** Every index is sparse: only items that carry its key attributes appear in it. */
export const tableIndexes = [
  /** All households of a firm, newest last; one firm's tickets by status, oldest first. */
  { name: 'byFirm', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /** Households of a firm by status; every firm's tickets by status, sharded (keys.ts ticketShards), oldest first. */
  { name: 'byStatus', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  /** Invitations whose email or ticket request is not yet confirmed, by due time, for the sweeper; live links by expiry (EXPIRING). */
  { name: 'outbox', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
] as const;

export type IndexName = (typeof tableIndexes)[number]['name'];

/** Epoch seconds after which DynamoDB may delete the item; code never trusts it to have done so. */
export const ttlAttribute = 'ttl';
