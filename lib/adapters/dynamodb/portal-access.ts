// The client portal's items: each client's accesses (one per household, under the hash of their email, written with
// the acceptance that grants it), their sign-in links (by the token's hash) and their sessions (sessions.ts).
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ttlAttribute } from '../../../infra/table-design.ts';
import type { PortalAccess, PortalAccessStore, PortalSessionStore, PortalUser } from '../../domain/portal-access.ts';
import type { SignInLink, SignInLinkStore } from '../../domain/sign-in-link.ts';
import { documents, isConditionFailure, tableCall } from './client.ts';
import { portalAccessKey, signInLinkKey } from './keys.ts';
import { sessionStore } from './sessions.ts';
import { table, type TransactItem } from './transact.ts';

/** The access an acceptance grants, in its transaction; accepting a household's invitation again only renews it. */
export const portalAccessPut = (access: PortalAccess): TransactItem => ({
  Put: {
    TableName: table(),
    Item: { ...portalAccessKey(access.clientKey, access.firmId, access.householdId), entity: 'portal_access', ...access },
  },
});

const accessOf = (item: Record<string, unknown>): PortalAccess => {
  const { clientKey, email, firstName, firmId, firmName, householdId, householdName, invitationId, grantedAt } = item as unknown as PortalAccess;
  return { clientKey, email, firstName, firmId, firmName, householdId, householdName, invitationId, grantedAt };
};

export const dynamoPortalAccess: PortalAccessStore = {
  async accessesOf(clientKey) {
    // One client has a handful of households at most; 100 is far beyond any real household count, so one page serves.
    const result = await tableCall(() =>
      documents.send(
        new QueryCommand({
          TableName: table(),
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :access)',
          ExpressionAttributeValues: { ':pk': `CLIENT#${clientKey}`, ':access': 'ACCESS#' },
          ConsistentRead: true,
          Limit: 100,
        }),
      ),
    );
    return (result.Items ?? []).map(accessOf);
  },
};

const linkOf = (item: Record<string, unknown>): SignInLink => ({
  tokenHash: item.tokenHash as string,
  client: { clientKey: item.clientKey as string },
  createdAt: item.createdAt as string,
  expiresAt: item.expiresAt as string,
});

// Issuing a link and following one are granted apart (lib/wiring.ts): each function bundles only its half.
export const dynamoSignInLinkIssue: Pick<SignInLinkStore, 'save'> = {
  async save(link, ttlSeconds) {
    const { client, ...rest } = link;
    await tableCall(() =>
      documents.send(
        new PutCommand({
          TableName: table(),
          // The key alone, picked rather than spread: a caller's object may carry more (an email) than the type says.
          Item: { ...signInLinkKey(link.tokenHash), entity: 'portal_sign_in_link', ...rest, clientKey: client.clientKey, [ttlAttribute]: ttlSeconds },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  },
};

export const dynamoSignInLinkUses: Pick<SignInLinkStore, 'find' | 'take'> = {
  async find(tokenHash) {
    const result = await tableCall(() => documents.send(new GetCommand({ TableName: table(), Key: signInLinkKey(tokenHash), ConsistentRead: true })));
    return result.Item ? linkOf(result.Item) : undefined;
  },

  async take(tokenHash, now) {
    try {
      const result = await tableCall(() =>
        documents.send(
          new DeleteCommand({
            TableName: table(),
            Key: signInLinkKey(tokenHash),
            // Used, or expired though TTL has not removed it yet: nothing to take.
            ConditionExpression: 'attribute_exists(pk) AND expiresAt > :now',
            ExpressionAttributeValues: { ':now': now.toISOString() },
            ReturnValues: 'ALL_OLD',
          }),
        ),
      );
      return result.Attributes ? linkOf(result.Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  },
};

// Pure, so a function that files portal access but signs no one in (every invitation change) bundles no sessions.
export const dynamoPortalSessions: PortalSessionStore = /* @__PURE__ */ sessionStore<PortalUser>({
  prefix: 'PORTAL_SESSION',
  entity: 'portal_session',
  // No email: the session outlives a deletion of the client's households (an older item's email is ignored).
  userItem: (client) => ({ clientKey: client.clientKey }),
  userOf: (item) => ({ clientKey: item.clientKey as string }),
});
