// Deleting a household, in the OpenAPI document (domain/household-deletion.ts).
import * as z from 'zod/mini';
import { id } from '../schemas/common.ts';
import { isoTime } from '../schemas/invitations.ts';
import type { Operation } from './operations.ts';

const deletedHouseholdResponse = z.object({
  household: z.object({ householdId: id, status: z.literal('deleted'), deletedAt: isoTime }),
});

export const householdDeletionOperations: Record<string, Operation> = {
  'DELETE /households/{householdId}': {
    summary:
      'Delete a household (prospect or client) with everything derived from it: its invitations (a live one ends as a ' +
      "revocation does: link dead, open ticket cancelled), its clients' portal access, its document checklist and every " +
      "uploaded file. Only its audit trail stays (ids and states, no personal data), with household.deleted and, once " +
      'the purge is done, household.purged; closed tickets keep their decision but lose the client\'s name and email. ' +
      'From then on every read of the household answers 404 but its events. Deleting it again answers as the first ' +
      'time. With an Idempotency-Key a retry gets the first answer',
    tag: 'advisor',
    response: { status: 200, schema: deletedHouseholdResponse, description: 'The household is deleted; its purge is done or under way' },
    errors: ['not_found', 'conflict', 'idempotency_key_reused'],
  },
};
