import { portalView } from '../domain/invitation.ts';
import { openInvitationLink, type LinkDeps } from '../use-cases/open-invitation-link.ts';

/** What the client can do next at their link; one page each. */
export type InviteState = 'verify' | 'being_verified' | 'locked' | 'rejected' | 'accept' | 'done';

export interface InvitePage {
  state: InviteState;
  token: string;
  firstName: string;
  firmName?: string | undefined;
  expiresAt: string;
}

/**
 * The state comes from the same portal view the JSON route returns, so the page and the API
 * can never disagree about where an invitation stands.
 */
export const stateOf = (view: ReturnType<typeof portalView>): InviteState => {
  if (view.status === 'accepted') return 'done';
  switch (view.verification.status) {
    case 'verified':
      return 'accept';
    case 'rejected':
      return 'rejected';
    case 'locked':
      return 'locked';
    case 'pending_review':
      return 'being_verified';
    case 'not_started':
      return view.verification.method === 'account_number' ? 'verify' : 'being_verified';
  }
};

/** Read-only, like the JSON view: GET and HEAD reach only this, so mail scanners change nothing. */
export const loadInvitePage = async (deps: LinkDeps, token: string, source?: string): Promise<InvitePage> => {
  const invitation = await openInvitationLink(deps, token, source);
  const view = portalView(invitation, deps.now());
  return { state: stateOf(view), token, firstName: view.firstName, firmName: invitation.firmName, expiresAt: view.expiresAt };
};
