import type { PortalAccess, PortalAccessStore, PortalClient } from '../domain/portal-access.ts';

/** What a signed-in client's portal page shows: each household they have access to. */
export interface PortalView {
  client: PortalClient;
  firstName: string;
  households: PortalAccess[];
}

/** The client's portal as it stands now; none once no household is open to them any more. */
export const viewPortal = async (deps: { portalAccess: PortalAccessStore }, client: PortalClient): Promise<PortalView | undefined> => {
  const households = await deps.portalAccess.accessesOf(client.clientKey);
  const first = households[0];
  return first ? { client, firstName: first.firstName, households } : undefined;
};
