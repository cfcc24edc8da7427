import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { notFound } from '../../domain/errors.ts';
import { emailTaken } from '../../domain/invitation-change.ts';
import type { InvitationStore } from '../../domain/ports.ts';
import { documents, tableCall } from './client.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { applyAcceptance, applyChange, applyEnding, applyReissue, changeItems } from './invitation-changes.ts';
import { householdStands } from './household-deletion.ts';
import { fromInvitationItem } from './invitation-items.ts';
import { invitationKey, tokenKey } from './keys.ts';
import { inProgress, savedByRequest, savedOnClaim } from './request-records.ts';
import { table, transact } from './transact.ts';

const createInvitation: InvitationStore['create'] = async (change, marker) => {
  if (!('create' in change.write)) throw new Error('create needs a new invitation');
  const invitation = change.write.create;
  const { firmId, householdId, invitationId } = invitation;
  const outcome = await transact({
    ...changeItems(change).items,
    household: householdStands(firmId, householdId),
    request: marker && savedOnClaim(marker, { householdId, invitationId }),
  });
  if (outcome.ok) return invitation;
  // Deleted since it was read: its purge may be past this point already, so nothing is filed under it.
  if (outcome.failed.has('household')) throw notFound('household');
  if (marker !== undefined && outcome.failed.has('request')) {
    // An earlier attempt with this key saved its invitation and lost the answer: that invitation is the answer.
    const saved = await savedByRequest(marker, (ids) => invitationKey(firmId, String(ids.householdId), String(ids.invitationId)));
    if (!saved) throw inProgress();
    return fromInvitationItem(saved);
  }
  // Ids are fresh per attempt, so this one exists only if the SDK retried a write of ours that had committed.
  if (outcome.failed.has('invitation')) return invitation;
  throw emailTaken();
};

const getInvitation: InvitationStore['get'] = async (firmId, householdId, invitationId) => {
  const result = await tableCall(() =>
    documents.send(new GetCommand({ TableName: table(), Key: invitationKey(firmId, householdId, invitationId) })),
  );
  return result.Item ? fromInvitationItem(result.Item) : undefined;
};

const listInvitations: InvitationStore['list'] = async (firmId, householdId, page) => {
  const pk = invitationKey(firmId, householdId, '').pk;
  const scope = { attribute: 'pk', value: pk, keyNames: ['pk', 'sk'] };
  const start = await decodeCursor(page.cursor, scope);
  const result = await tableCall(() =>
    documents.send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': 'INV#' },
        Limit: page.limit,
        ExclusiveStartKey: start,
      }),
    ),
  );
  return { items: (result.Items ?? []).map(fromInvitationItem), nextCursor: await encodeCursor(result.LastEvaluatedKey, scope) };
};

const findByToken: InvitationStore['findByToken'] = async (tokenHash) => {
  const pointer = await tableCall(() => documents.send(new GetCommand({ TableName: table(), Key: tokenKey(tokenHash) })));
  const item = pointer.Item as { firmId: string; householdId: string; invitationId: string } | undefined;
  if (!item) return undefined;
  const invitation = await getInvitation(item.firmId, item.householdId, item.invitationId);
  // A replaced link's pointer may outlive its replacement for a moment; only the current hash counts.
  return invitation?.tokenHash === tokenHash ? invitation : undefined;
};

// The store in parts, so a function that only reads (lib/wiring.ts) bundles none of the code that writes changes.
export const dynamoInvitationLookup: Pick<InvitationStore, 'get' | 'findByToken'> = { get: getInvitation, findByToken };
export const dynamoInvitationList: Pick<InvitationStore, 'list'> = { list: listInvitations };
/** New invitations: filed only under a household that stands. */
export const dynamoInvitationCreation: Pick<InvitationStore, 'create'> = { create: createInvitation };
export const dynamoInvitationChanges: Pick<InvitationStore, 'apply'> = { apply: applyChange };
/** Revoking, a bounce, a household's purge: changes that end an invitation, and nothing else. */
export const dynamoInvitationEndings: Pick<InvitationStore, 'apply'> = { apply: applyEnding };
/** Accepting an invitation, and nothing else. */
export const dynamoInvitationAcceptances: Pick<InvitationStore, 'apply'> = { apply: applyAcceptance };
/** Reissuing an invitation's link (resent, approved), and recording its email's delivery. */
export const dynamoInvitationReissues: Pick<InvitationStore, 'apply'> = { apply: applyReissue };

/** The whole store, for the tests that drive it directly. */
export const dynamoInvitations: InvitationStore = {
  create: createInvitation,
  get: getInvitation,
  list: listInvitations,
  findByToken,
  apply: applyChange,
};
