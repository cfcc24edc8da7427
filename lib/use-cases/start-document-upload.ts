import { randomUUID } from 'node:crypto';
import type { DocumentRequest, DocumentRequestStore } from '../domain/document-request.ts';
import { startUpload, uploadKey, type AcceptedType, type DocumentFiles } from '../domain/document-upload.ts';
import { conflict, notFound } from '../domain/errors.ts';
import type { PortalAccessStore, PortalUser } from '../domain/portal-access.ts';
import { documentUploads } from '../settings/timing.ts';

export interface UploadForm {
  /** Where the browser posts the form (multipart/form-data): every field, then the file as `file`. */
  url: string;
  fields: Record<string, string>;
  expiresAt: string;
}

/** The item among the client's households: another household's item, or another firm's, does not exist for them. */
const itemOfClient = async (
  deps: { portalAccess: PortalAccessStore; documentRequests: Pick<DocumentRequestStore, 'get'> },
  client: PortalUser,
  requestId: string,
): Promise<DocumentRequest> => {
  for (const access of await deps.portalAccess.accessesOf(client.clientKey)) {
    const item = await deps.documentRequests.get({ firmId: access.firmId, householdId: access.householdId, requestId });
    if (item) return item;
  }
  throw notFound('document request');
};

/**
 * The signed-in client asks to upload a file for one item: an S3 form for a key the server chose, which the item
 * remembers, so only that file counts once the bucket says it landed. A new form replaces the last one's key.
 */
export const startDocumentUpload = async (
  deps: {
    portalAccess: PortalAccessStore;
    documentRequests: Pick<DocumentRequestStore, 'get' | 'apply'>;
    documentFiles: Pick<DocumentFiles, 'uploadForm'>;
    now: () => Date;
  },
  client: PortalUser,
  requestId: string,
  file: { name: string; contentType: AcceptedType },
): Promise<UploadForm> => {
  const item = await itemOfClient(deps, client, requestId);
  const now = deps.now();
  const key = uploadKey(item, randomUUID());
  if (!(await deps.documentRequests.apply(startUpload(item, { key, name: file.name }, now)))) {
    throw conflict('The document request changed meanwhile; reload the page');
  }
  const expiresAt = new Date(now.getTime() + documentUploads.uploadFormSeconds * 1000);
  const form = await deps.documentFiles.uploadForm(key, file.contentType, expiresAt);
  return { ...form, expiresAt: expiresAt.toISOString() };
};
