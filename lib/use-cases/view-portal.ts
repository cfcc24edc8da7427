import type { PortalAccess, PortalAccessStore, PortalClient, PortalUser } from '../domain/portal-access.ts';

/** What a signed-in client's portal page shows: each household they have access to. */
export interface PortalView {
  /** The email is their first access's: the session holds only the key. */
  client: PortalClient;
  firstName: string;
  households: PortalAccess[];
}

/** The client's portal as it stands now; none once no household is open to them any more. */
export const viewPortal = async (deps: { portalAccess: PortalAccessStore }, client: PortalUser): Promise<PortalView | undefined> => {
  const households = await deps.portalAccess.accessesOf(client.clientKey);
  const first = households[0];
  return first ? { client: { clientKey: client.clientKey, email: first.email }, firstName: first.firstName, households } : undefined;
};
