import * as config from '#lib/config.ts';
import { idempotentItems } from '#lib/http/idempotent-items.ts';
import { ok } from '#lib/http/response.ts';
import { idempotencyKeys } from '#lib/http/middlewares/idempotency.ts';
import { httpRoute } from '#lib/http/route.ts';
import { sendInvitationsBatchBody } from '#lib/schemas/invitations.ts';
import type { BatchItemResult } from '#lib/schemas/views.ts';
import { sendInvitationsBatch } from '#lib/use-cases/send-invitations-batch.ts';
import { eventBus, householdReads, idempotency, invitationChanges, invitationCreation, invitationReads, mail, ticketQueue, wire } from '#lib/wiring.ts';
import { callerFromClaims } from '#lib/http/middlewares/caller.ts';

const deps = {
  ...wire('send-invitations-batch', idempotency, householdReads, invitationReads, invitationCreation, invitationChanges, mail, ticketQueue, eventBus),
  sendRate: () => config.sesMaxSendRate(),
};

// 200, not 207: the request as a whole was done, and each result carries its item's own status (docs/batch-invitations.md).
export const handler = httpRoute({
  idempotency: idempotencyKeys(deps.idempotency),
  caller: callerFromClaims('advisors'),
  body: sendInvitationsBatchBody,
  run: async ({ caller, body, marker, remainingMs, requestId }) => {
    const items = idempotentItems<BatchItemResult>(deps.idempotency, marker);
    return ok({ results: await sendInvitationsBatch({ ...deps, requestId }, caller, body.items, { items, remainingMs }) });
  },
});
