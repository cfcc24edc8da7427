// The ops console's sessions and started sign-ins: one item each, keyed by the hash of the id the browser
// holds, removed by TTL after they end (the code checks the times itself; TTL deletes late).
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ttlAttribute } from '../../../infra/table-design.ts';
import type { PendingSignIn, SignInStore } from '../../console/hosted-sign-in.ts';
import type { ConsoleSessionStore, StoredSession } from '../../console/session.ts';
import { documents, isConditionFailure, tableCall } from './client.ts';
import { table } from './transact.ts';

const sessionKey = (idHash: string) => ({ pk: `CONSOLE_SESSION#${idHash}`, sk: 'SESSION' });
const signInKey = (idHash: string) => ({ pk: `CONSOLE_SIGN_IN#${idHash}`, sk: 'SIGN_IN' });

const sessionOf = (item: Record<string, unknown>): StoredSession => ({
  idHash: item.idHash as string,
  user: { sub: item.sub as string, email: item.email as string | undefined, groups: item.groups as string[] },
  csrfToken: item.csrfToken as string,
  createdAt: item.createdAt as string,
  lastSeenAt: item.lastSeenAt as string,
  expiresAt: item.expiresAt as string,
});

export const dynamoConsoleSessions: ConsoleSessionStore = {
  async create(session, ttlSeconds) {
    const { user, ...times } = session;
    await tableCall(() =>
      documents.send(
        new PutCommand({
          TableName: table(),
          Item: { ...sessionKey(session.idHash), entity: 'console_session', ...times, ...user, [ttlAttribute]: ttlSeconds },
          // Ids are 256 random bits; a collision would mean a broken generator, never a reason to overwrite.
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  },

  async get(idHash) {
    // Strongly consistent: a session signed out a moment ago must not be read back as live.
    const result = await tableCall(() => documents.send(new GetCommand({ TableName: table(), Key: sessionKey(idHash), ConsistentRead: true })));
    return result.Item ? sessionOf(result.Item) : undefined;
  },

  async touch(idHash, lastSeenAt, ttlSeconds) {
    try {
      await tableCall(() =>
        documents.send(
          new UpdateCommand({
            TableName: table(),
            Key: sessionKey(idHash),
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
    await tableCall(() => documents.send(new DeleteCommand({ TableName: table(), Key: sessionKey(idHash) })));
  },
};

export const dynamoSignIns: SignInStore = {
  async begin(pending, ttlSeconds) {
    await tableCall(() =>
      documents.send(
        new PutCommand({
          TableName: table(),
          Item: { ...signInKey(pending.idHash), entity: 'console_sign_in', ...pending, [ttlAttribute]: ttlSeconds },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  },

  async take(idHash) {
    const result = await tableCall(() => documents.send(new DeleteCommand({ TableName: table(), Key: signInKey(idHash), ReturnValues: 'ALL_OLD' })));
    const item = result.Attributes;
    if (!item) return undefined;
    const { idHash: hash, state, verifier, nonce, next, expiresAt } = item as PendingSignIn;
    return { idHash: hash, state, verifier, nonce, next, expiresAt };
  },
};
