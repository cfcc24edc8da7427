import { ok } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { tokenParams } from '#lib/schemas/invitations.ts';
import { viewInvitation } from '#lib/use-cases/view-invitation.ts';
import { attempts, invitationReads, wire } from '#lib/wiring.ts';

const deps = wire('view-invitation', invitationReads, attempts);

export const handler = httpRoute({
  params: tokenParams,
  run: async ({ params, event }) => ok({ invitation: await viewInvitation(deps, params.token, event.requestContext.http.sourceIp) }),
});
