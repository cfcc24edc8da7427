import type { DocumentRequest, DocumentRequestStore } from '../domain/document-request.ts';
import { fileLanded, fileScanned, itemOfKey, takesUpload, type DocumentFiles, type Outcome } from '../domain/document-upload.ts';
import { AppError } from '../domain/errors.ts';
import type { DocumentEvent } from '../schemas/document-events.ts';

type Deps = { documentRequests: Pick<DocumentRequestStore, 'get' | 'apply'>; documentFiles: DocumentFiles; now: () => Date };

/** What became of the item: the status it was given, or why nothing changed. */
export type Recorded = string;

/** Writes the outcome, then deletes the file it does not keep; a write that lost a race is retried with the message. */
const carryOut = async (deps: Deps, key: string, outcome: Outcome): Promise<Recorded> => {
  if (outcome.change && !(await deps.documentRequests.apply(outcome.change))) {
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
  return carryOut(deps, event.key, fileScanned(item, event, deps.now()));
};
