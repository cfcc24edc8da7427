import { recorded, systemActor, type InRequest } from '../domain/audit.ts';
import { allRequiredReceived, completionRecipient, type DocumentRequest, type DocumentRequestStore } from '../domain/document-request.ts';
import { fileLanded, fileScanned, itemOfKey, takesUpload, type DocumentFiles, type Outcome } from '../domain/document-upload.ts';
import { AppError } from '../domain/errors.ts';
import type { HouseholdStore, Mailer } from '../domain/ports.ts';
import { documentsReceivedEmail } from '../email/document-messages.ts';
import type { DocumentEvent } from '../schemas/document-events.ts';

type Deps = {
  documentRequests: Pick<DocumentRequestStore, 'get' | 'apply' | 'list' | 'takeCompletionNotice' | 'completionNoticeSent'>;
  documentFiles: Pick<DocumentFiles, 'inspect' | 'remove'>;
  households: Pick<HouseholdStore, 'get'>;
  mailer: Mailer;
  now: () => Date;
} & InRequest;

/** Longer than one send, shorter than the queue's visibility timeout: a crashed sender's message comes back after it. */
const noticeLeaseMs = 60_000;

/**
 * Once every required item is received, the advisor who asked is emailed, once: the notice is taken before the send
 * and marked sent after it; a delivery that crashed in between is redone by its message's redelivery, past the lease.
 */
const tellAdvisorIfComplete = async (deps: Deps, ids: { firmId: string; householdId: string }): Promise<void> => {
  // Consistent: of two files received at once, the later write's reader sees both.
  const items = await deps.documentRequests.list(ids.firmId, ids.householdId, true);
  const to = completionRecipient(items);
  if (!allRequiredReceived(items) || to === undefined) return;
  if (!(await deps.documentRequests.takeCompletionNotice(ids.firmId, ids.householdId, deps.now(), noticeLeaseMs))) return;
  const household = await deps.households.get(ids.firmId, ids.householdId);
  if (!household) return;
  const received = items.filter((item) => item.status === 'received').length;
  await deps.mailer.send(documentsReceivedEmail(household, received, to));
  await deps.documentRequests.completionNoticeSent(ids.firmId, ids.householdId, deps.now().toISOString());
};

/** What became of the item: the status it was given, or why nothing changed. */
export type Recorded = string;

/**
 * Writes the outcome with its events, then deletes the file it does not keep; a write that lost a race is retried
 * with the message. The service acts: it found what landed and heard the scan, in the queue message `requestId`.
 */
const carryOut = async (deps: Deps, key: string, outcome: Outcome): Promise<Recorded> => {
  if (outcome.change && !(await deps.documentRequests.apply(recorded(outcome.change, systemActor, deps.requestId)))) {
    throw new AppError('conflict', 'The document request changed meanwhile; the message is retried');
  }
  if (outcome.discard) await deps.documentFiles.remove(key);
  return outcome.change?.set.status ?? (outcome.discard ? 'discarded' : 'unchanged');
};

/** A file landed: its real size and first bytes decide whether it goes on to its scan or is refused and deleted. */
const landed = async (deps: Deps, key: string, item: DocumentRequest | undefined): Promise<Recorded> => {
  if (item?.objectKey === key) return 'unchanged';
  const found = await deps.documentFiles.inspect(key);
  // Gone already: an earlier delivery of this event refused it.
  if (!found) return 'gone';
  return carryOut(deps, key, fileLanded(item, { key, ...found }, deps.now()));
};

/**
 * What the bucket says of one file, whatever the order: the scan may answer before the landing's event is handled
 * (both start from the same upload), so a scan of a file not yet taken takes it first. Each step is safe to repeat.
 */
export const recordDocumentEvent = async (deps: Deps, event: DocumentEvent): Promise<Recorded> => {
  const ids = itemOfKey(event.key);
  if (!ids) return 'not a document key';
  const item = await deps.documentRequests.get(ids);
  if (event.kind === 'landed') return landed(deps, event.key, item);
  if (item && takesUpload(item) && item.pendingUpload?.key === event.key) {
    const taken = await landed(deps, event.key, item);
    if (taken !== 'scanning') return taken;
    return recordDocumentEvent(deps, event);
  }
  const recorded = await carryOut(deps, event.key, fileScanned(item, event, deps.now()));
  // Also for a redelivered result of a file already received: its first delivery may have crashed before the email.
  if (recorded === 'received' || (item?.status === 'received' && item.objectKey === event.key)) await tellAdvisorIfComplete(deps, ids);
  return recorded;
};
