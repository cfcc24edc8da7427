// The client portal's stores in memory, behaving as their DynamoDB adapters do (lib/adapters/dynamodb/portal-access.ts).
import type { PortalAccess, PortalAccessStore, PortalSession, PortalSessionStore } from '../../../lib/domain/portal-access.ts';
import type { SignInLink, SignInLinkStore } from '../../../lib/domain/sign-in-link.ts';

export const memoryPortal = () => {
  const accesses: PortalAccess[] = [];
  const links = new Map<string, SignInLink>();
  const sessions = new Map<string, PortalSession>();
  const portalAccess: PortalAccessStore = {
    accessesOf: async (clientKey) => accesses.filter((access) => access.clientKey === clientKey),
  };
  const signInLinks: SignInLinkStore = {
    save: async (link) => {
      if (links.has(link.tokenHash)) throw new Error('link exists');
      links.set(link.tokenHash, link);
    },
    find: async (tokenHash) => links.get(tokenHash),
    take: async (tokenHash, now) => {
      const link = links.get(tokenHash);
      if (!link || Date.parse(link.expiresAt) <= now.getTime()) return undefined;
      links.delete(tokenHash);
      return link;
    },
  };
  const portalSessions: PortalSessionStore = {
    create: async (session) => void sessions.set(session.idHash, session),
    get: async (idHash) => sessions.get(idHash),
    touch: async (idHash, lastSeenAt) => {
      const session = sessions.get(idHash);
      if (session) sessions.set(idHash, { ...session, lastSeenAt });
    },
    remove: async (idHash) => void sessions.delete(idHash),
  };
  return { accesses, links, sessions, portalAccess, signInLinks, portalSessions };
};
