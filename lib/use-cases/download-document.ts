import type { DocumentRequestStore } from '../domain/document-request.ts';
import type { DocumentFiles } from '../domain/document-upload.ts';
import { conflict, notFound } from '../domain/errors.ts';
import type { Caller } from '../domain/ports.ts';
import { documentUploads } from '../settings/timing.ts';

/**
 * The advisor's short-lived link to a received file: only once its scan said clean, since a file still scanning, or
 * refused, or infected (deleted) must never reach anyone. Another firm's item does not exist for them.
 */
export const downloadDocument = async (
  deps: { documentRequests: Pick<DocumentRequestStore, 'get'>; documentFiles: Pick<DocumentFiles, 'downloadLink'>; now: () => Date },
  caller: Caller,
  ids: { householdId: string; requestId: string },
): Promise<{ url: string; expiresAt: string }> => {
  const item = await deps.documentRequests.get({ firmId: caller.firmId, ...ids });
  if (!item) throw notFound('document request');
  if (item.status !== 'received' || !item.objectKey || !item.file) throw conflict(`The document is ${item.status}; only a received file can be downloaded`);
  const expiresAt = new Date(deps.now().getTime() + documentUploads.downloadLinkSeconds * 1000);
  return { url: await deps.documentFiles.downloadLink(item.objectKey, item.file.name, expiresAt), expiresAt: expiresAt.toISOString() };
};
