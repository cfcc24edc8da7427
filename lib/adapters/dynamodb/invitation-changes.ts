import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ChangeOutcome, InvitationChange, InvitationCondition, InvitationFields } from '../../domain/invitation-change.ts';
import { eventItems, type EventPart } from './audit-events.ts';
import { noticeFile } from './advisor-notices.ts';
import { documents, isConditionFailure, tableCall } from './client.ts';
import { expression, type Expression } from './expression.ts';
import {
  deliveryOutbox,
  deliveryOutboxAttributes,
  invitationItem,
  lockDelete,
  lockPut,
  ticketRequestDelete,
  ticketRequestPut,
  tokenDelete,
  tokenPut,
} from './invitation-items.ts';
import { invitationKey, outboxPartition } from './keys.ts';
import { portalAccessPut } from './portal-access.ts';
import { ticketUpsert } from './ticket-items.ts';
import { table, transact, type NamedItems, type TransactItem } from './transact.ts';

// Translates a decided invitation change into one write: the decider chose every value and every condition; here
// they only become DynamoDB expressions and items. The conditions are what keep races safe: each says the state the
// change was decided on is still the state.

type Part = 'invitation' | 'oldLink' | 'newLink' | 'lock' | 'ticketRequest' | 'ticket' | 'advisorNotice' | 'portalAccess' | EventPart;

const assignments = (fields: InvitationFields, e: Expression): string[] => {
  const { verification, ...top } = fields;
  const flat: [string, unknown][] = [
    ...Object.entries(top),
    ...Object.entries(verification ?? {}).map(([field, value]): [string, unknown] => [`verification.${field}`, value]),
  ];
  return flat.filter(([, value]) => value !== undefined).map(([path, value]) => `${e.name(path)} = ${e.value(value)}`);
};

const conditionOf = (when: InvitationCondition, e: Expression): string => {
  const attempts = () => e.name('verification.wrongAttempts');
  const parts = [`${e.name('tokenHash')} = ${e.value(when.tokenHash)}`];
  if (when.state !== undefined) parts.push(`${e.name('state')} = ${e.value(when.state)}`);
  if (when.delivery !== undefined) parts.push(`${e.name('delivery')} = ${e.value(when.delivery)}`);
  if (when.verificationStatus !== undefined) parts.push(`${e.name('verification.status')} = ${e.value(when.verificationStatus)}`);
  if (when.unexpiredAt !== undefined) parts.push(`${e.name('expiresAt')} > ${e.value(when.unexpiredAt)}`);
  if (when.expiredBy !== undefined) parts.push(`${e.name('expiresAt')} <= ${e.value(when.expiredBy)}`);
  const { below, atLeast, atMost } = when.wrongAttempts ?? {};
  if (below !== undefined) parts.push(`(attribute_not_exists(${attempts()}) OR ${attempts()} < ${e.value(below)})`);
  if (atLeast !== undefined) parts.push(`${attempts()} >= ${e.value(atLeast)}`);
  if (atMost !== undefined) parts.push(`${attempts()} <= ${e.value(atMost)}`);
  if (when.deliveryNoticeLease !== undefined) {
    parts.push(`${e.name('deliveryNotice.leaseUntil')} = ${e.value(when.deliveryNoticeLease)}`, `attribute_not_exists(${e.name('deliveryNotice.sentAt')})`);
  }
  if (when.emailOutboxSlot !== undefined) {
    parts.push(`${e.name('gsi3pk')} = ${e.value(outboxPartition)} AND ${e.name('gsi3sk')} = ${e.value(when.emailOutboxSlot)}`);
  }
  return parts.join(' AND ');
};

const invitationWrite = (change: InvitationChange, writers: PartWriters): TransactItem => {
  const { key, write, at } = change;
  if ('create' in write) {
    const owed = change.emailOwed ? deliveryOutbox(key, at) : {};
    return { Put: { TableName: table(), Item: { ...writers.create!(write.create), ...owed }, ConditionExpression: 'attribute_not_exists(pk)' } };
  }
  const e = expression();
  const sets = assignments(write.set, e);
  if (write.countAttempt) {
    const attempts = e.name('verification.wrongAttempts');
    sets.push(`${attempts} = if_not_exists(${attempts}, ${e.value(0)}) + ${e.value(1)}`);
  }
  if (change.emailOwed === true) {
    const slot = deliveryOutbox(key, at);
    sets.push(`${e.name('gsi3pk')} = ${e.value(slot.gsi3pk)}`, `${e.name('gsi3sk')} = ${e.value(slot.gsi3sk)}`);
  }
  const condition = conditionOf(write.when, e);
  const removes = change.emailOwed === false ? ` REMOVE ${deliveryOutboxAttributes.map(e.name).join(', ')}` : '';
  return {
    Update: {
      TableName: table(),
      Key: invitationKey(key.firmId, key.householdId, key.invitationId),
      UpdateExpression: `SET ${sets.join(', ')}${removes}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: e.names,
      ExpressionAttributeValues: e.values,
    },
  };
};

/**
 * How the parts only some changes carry become items, each a writer of its own: a function whose changes never carry
 * a part is granted no writer for it (lib/wiring.ts), so its bundle holds none of that code (ticketRequestPut alone
 * brings the ticket request's schema). A change carrying a part with no writer fails (`writers.takeLock is not a
 * function`) before anything is written; a check with its own message would cost every other function its bytes.
 */
interface PartWriters {
  create?: typeof invitationItem;
  takeLock?: typeof lockPut;
  oweTicketRequest?: typeof ticketRequestPut;
  fileNotice?: typeof noticeFile;
  openPortal?: typeof portalAccessPut;
}

/** Every part: for the functions whose changes may carry any of them. */
const everyPart: PartWriters = {
  create: invitationItem,
  takeLock: lockPut,
  oweTicketRequest: ticketRequestPut,
  fileNotice: noticeFile,
  openPortal: portalAccessPut,
};

/** Ending an invitation (revoked, expired, bounced, its household deleted) frees its lock and cancels its ticket: no other part. */
const endingParts: PartWriters = {};
/** Accepting one frees its lock, opens the household's portal to the client and owes the advisor a notice. */
const acceptanceParts: PartWriters = { fileNotice: noticeFile, openPortal: portalAccessPut };
/**
 * Reissuing its link (a resend, an approval) takes its lock again, to the new expiry; an email that then fails owes the
 * advisor a notice. A ticket decision's invitation change is one of these (ticket-change.ts DecisionTransition parts).
 */
const reissueParts: PartWriters = { takeLock: lockPut, fileNotice: noticeFile };

const itemsOf = (change: InvitationChange, writers: PartWriters): { items: NamedItems<Part>; optional: Part[] } => {
  const { key, link, lock, ticketRequest, at } = change;
  const items: NamedItems<Part> = {
    invitation: invitationWrite(change, writers),
    oldLink: link?.retire === undefined ? undefined : tokenDelete(link.retire),
    newLink: link?.issue && tokenPut(key, link.issue.tokenHash, link.issue.expiresAt, at),
    lock:
      lock &&
      ('take' in lock
        ? writers.takeLock!({ ...key, email: lock.take.email }, lock.take.until, at)
        : lockDelete({ ...key, email: lock.free.email })),
    ticketRequest:
      ticketRequest &&
      ('owe' in ticketRequest
        ? writers.oweTicketRequest!(ticketRequest.owe, at)
        : ticketRequestDelete(key, ticketRequest.clear)),
    ticket: change.cancelTicket && ticketUpsert(change.cancelTicket),
    advisorNotice: change.advisorNotice && writers.fileNotice!(key, change.advisorNotice, at),
    portalAccess: change.portalAccess && writers.openPortal!(change.portalAccess),
    ...eventItems(change.events),
  };
  const optional: Part[] = [...(lock && 'free' in lock ? ['lock' as const] : []), ...(change.cancelTicket ? ['ticket' as const] : [])];
  return { items, optional };
};

/** The change's items by name, and which of them are dropped when their condition fails (a lock that is not ours, a ticket decided). */
export const changeItems = (change: InvitationChange) => itemsOf(change, everyPart);
/** The items of a change that ends an invitation, accepts one or reissues its link; any other part is refused. */
export const endingItems = (change: InvitationChange) => itemsOf(change, endingParts);
export const acceptanceItems = (change: InvitationChange) => itemsOf(change, acceptanceParts);
export const reissueItems = (change: InvitationChange) => itemsOf(change, reissueParts);

/** A change that writes the invitation alone is one conditional update, which can also say what the attempt count became. */
const updateAlone = async (item: TransactItem): Promise<ChangeOutcome> => {
  try {
    const result = await tableCall(() => documents.send(new UpdateCommand({ ...item.Update!, ReturnValues: 'UPDATED_NEW' })));
    const attempts = (result.Attributes?.verification as { wrongAttempts?: unknown } | undefined)?.wrongAttempts;
    return typeof attempts === 'number' ? { ok: true, wrongAttempts: attempts } : { ok: true };
  } catch (error) {
    if (isConditionFailure(error)) return { ok: false, failed: 'invitation' };
    throw error;
  }
};

/**
 * Writes the change as one transaction. The invitation's condition failing means it moved on since it was read; a
 * lock taken by another invitation means the email is taken. Optional parts whose condition fails are left out and
 * the rest written again.
 */
const applyItems = async ({ items, optional }: ReturnType<typeof itemsOf>): Promise<ChangeOutcome> => {
  const present = (Object.keys(items) as Part[]).filter((part) => items[part] !== undefined);
  if (present.length === 1 && items.invitation?.Update) return updateAlone(items.invitation);
  let parts = items;
  for (;;) {
    const outcome = await transact(parts);
    if (outcome.ok) return { ok: true };
    if (outcome.failed.has('invitation')) return { ok: false, failed: 'invitation' };
    const dropped = optional.filter((part) => outcome.failed.has(part));
    if (dropped.length === 0) {
      if (outcome.failed.has('lock')) return { ok: false, failed: 'lock' };
      throw new Error(`invitation change refused by ${[...outcome.failed].join(', ')}`);
    }
    parts = Object.fromEntries(Object.entries(parts).filter(([part]) => !dropped.includes(part as Part))) as NamedItems<Part>;
  }
};

export const applyChange = async (change: InvitationChange): Promise<ChangeOutcome> => applyItems(changeItems(change));
export const applyEnding = async (change: InvitationChange): Promise<ChangeOutcome> => applyItems(endingItems(change));
export const applyAcceptance = async (change: InvitationChange): Promise<ChangeOutcome> => applyItems(acceptanceItems(change));
export const applyReissue = async (change: InvitationChange): Promise<ChangeOutcome> => applyItems(reissueItems(change));
