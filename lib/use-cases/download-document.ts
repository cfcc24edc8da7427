import { eventsOf, staffActor, type InRequest } from '../domain/audit.ts';
import { documentHappening, retainUntil, type DocumentRequestStore } from '../domain/document-request.ts';
import type { DocumentFiles } from '../domain/document-upload.ts';
import { AppError, conflict, notFound } from '../domain/errors.ts';
import type { Caller, HouseholdStore } from '../domain/ports.ts';
import { documentUploads } from '../settings/timing.ts';

/**
 * The advisor's short-lived link to a received file: only once its scan said clean, since a file still scanning, or
 * refused, or infected (deleted) must never reach anyone. A cancelled item keeps the file it had received (only such
 * a cancelled item holds one). Past its retention the bucket's lifecycle rule has deleted it (or is about to): 410.
 * Another firm's item does not exist for them, nor does a deleted household's, even in the seconds before its purge
 * removes the item (the household is read beside it). Each link issued is an event of the household's trail, saying who
 * took it: nothing changes, so it is written alone.
 */
export const downloadDocument = async (
  deps: {
    documentRequests: Pick<DocumentRequestStore, 'get' | 'record'>;
    households: Pick<HouseholdStore, 'get'>;
    documentFiles: Pick<DocumentFiles, 'downloadLink'>;
    retentionDays: () => number;
    now: () => Date;
  } & InRequest,
  caller: Caller,
  ids: { householdId: string; requestId: string },
): Promise<{ url: string; expiresAt: string }> => {
  const [household, item] = await Promise.all([
    deps.households.get(caller.firmId, ids.householdId),
    deps.documentRequests.get({ firmId: caller.firmId, ...ids }),
  ]);
  if (!household) throw notFound('household');
  if (!item) throw notFound('document request');
  const kept = item.status === 'received' || item.status === 'cancelled';
  if (!kept || !item.objectKey || !item.file) throw conflict(`The document is ${item.status}; only a received file can be downloaded`);
  const now = deps.now();
  if (now.toISOString() >= retainUntil(item.file, deps.retentionDays())) throw new AppError('gone', 'The file was deleted after its retention period');
  const expiresAt = new Date(now.getTime() + documentUploads.downloadLinkSeconds * 1000);
  const url = await deps.documentFiles.downloadLink(item.objectKey, item.file.name, expiresAt);
  const issued = documentHappening(item, 'document.downloaded', now.toISOString(), item.status);
  await deps.documentRequests.record(eventsOf(item, [issued], { actor: staffActor(caller, 'advisor'), requestId: deps.requestId }));
  return { url, expiresAt: expiresAt.toISOString() };
};
