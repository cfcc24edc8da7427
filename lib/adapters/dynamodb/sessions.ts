// Server-side sessions (lib/sessions/server-session.ts): one item each, keyed by the hash of the id the browser
// holds, removed by TTL after they end (the code checks the times itself; TTL deletes late). The console's and the
// portal's differ only in their key prefix and in who signed in.
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ttlAttribute } from '../../../infra/table-design.ts';
import type { SessionStore, StoredSession } from '../../sessions/server-session.ts';
import { documents, isConditionFailure, tableCall } from './client.ts';
import { table } from './transact.ts';

export interface SessionKind<U> {
  /** The item's partition: `${prefix}#<hash of the id>`. */
  prefix: string;
  entity: string;
  /** The user's attributes as stored beside the session's own. */
  userItem: (user: U) => Record<string, unknown>;
  userOf: (item: Record<string, unknown>) => U;
}

export const sessionStore = <U>(kind: SessionKind<U>): SessionStore<U> => {
  const key = (idHash: string) => ({ pk: `${kind.prefix}#${idHash}`, sk: 'SESSION' });
  const sessionOf = (item: Record<string, unknown>): StoredSession<U> => ({
    idHash: item.idHash as string,
    user: kind.userOf(item),
    csrfToken: item.csrfToken as string,
    createdAt: item.createdAt as string,
    lastSeenAt: item.lastSeenAt as string,
    expiresAt: item.expiresAt as string,
  });
  return {
    async create(session, ttlSeconds) {
      const { user, ...times } = session;
      await tableCall(() =>
        documents.send(
          new PutCommand({
            TableName: table(),
            Item: { ...key(session.idHash), entity: kind.entity, ...times, ...kind.userItem(user), [ttlAttribute]: ttlSeconds },
            // Ids are 256 random bits; a collision would mean a broken generator, never a reason to overwrite.
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
    },

    async get(idHash) {
      // Strongly consistent: a session signed out a moment ago must not be read back as live.
      const result = await tableCall(() => documents.send(new GetCommand({ TableName: table(), Key: key(idHash), ConsistentRead: true })));
      return result.Item ? sessionOf(result.Item) : undefined;
    },

    async touch(idHash, lastSeenAt, ttlSeconds) {
      try {
        await tableCall(() =>
          documents.send(
            new UpdateCommand({
              TableName: table(),
              Key: key(idHash),
              UpdateExpression: 'SET lastSeenAt = :seen, #ttl = :ttl',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeNames: { '#ttl': ttlAttribute },
              ExpressionAttributeValues: { ':seen': lastSeenAt, ':ttl': ttlSeconds },
            }),
          ),
        );
      } catch (error) {
        // Signed out meanwhile: the session stays gone, and the next request finds no session.
        if (!isConditionFailure(error)) throw error;
      }
    },

    async remove(idHash) {
      await tableCall(() => documents.send(new DeleteCommand({ TableName: table(), Key: key(idHash) })));
    },
  };
};
