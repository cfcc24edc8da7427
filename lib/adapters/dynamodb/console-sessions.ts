// The ops console's sessions and started sign-ins: one item each, keyed by the hash of the id the browser holds.
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ttlAttribute } from '../../../infra/table-design.ts';
import type { PendingSignIn, SignInStore } from '../../console/hosted-sign-in.ts';
import type { ConsoleSessionStore } from '../../console/session.ts';
import { documents, tableCall } from './client.ts';
import { sessionStore } from './sessions.ts';
import { table } from './transact.ts';

const signInKey = (idHash: string) => ({ pk: `CONSOLE_SIGN_IN#${idHash}`, sk: 'SIGN_IN' });

export const dynamoConsoleSessions: ConsoleSessionStore = sessionStore({
  prefix: 'CONSOLE_SESSION',
  entity: 'console_session',
  userItem: (user) => ({ ...user }),
  userOf: (item) => ({ sub: item.sub as string, email: item.email as string | undefined, groups: item.groups as string[] }),
});

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
