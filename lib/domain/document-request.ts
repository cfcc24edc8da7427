// A household's document checklist: each item is one document the advisor asks the client to upload. Its lifecycle
// as pure deciders, in the shape of the invitation's (transition.ts): the item as read and the time in, the state that
// follows, the write conditioned on what was read and the effects out, or a refusal as an AppError.
import type { DocumentRequestItemInput } from '../schemas/document-requests.ts';
import type { AuditEvent, Happening } from './audit.ts';
import { conflict } from './errors.ts';
import { newId } from './ids.ts';
import type { RequestMarker } from './ports.ts';
import type { Effect, Transition } from './transition.ts';

export type DocumentRequestStatus = 'requested' | 'scanning' | 'received' | 'rejected' | 'infected' | 'cancelled';

/** The file the client uploaded for an item, as the server found it once it landed (never as the browser said). */
export interface ReceivedFile {
  name: string;
  size: number;
  contentType: string;
  receivedAt: string;
}

export interface DocumentRequest {
  firmId: string;
  householdId: string;
  requestId: string;
  title: string;
  description?: string;
  required: boolean;
  status: DocumentRequestStatus;
  createdBy: string;
  /** The requesting advisor's email, when their token carried one: they are told once every required file is received. */
  requestedByEmail?: string;
  createdAt: string;
  updatedAt: string;
  file?: ReceivedFile;
  /** Why the last upload was refused (rejected) or what the scan found (infected). */
  reason?: string;
  /** The key and name of the upload the client was last given a form for: only a file at that key counts. */
  pendingUpload?: { key: string; name: string };
  /**
   * Where the file is kept, from its landing (scanning) on; never shown. A cancelled item holds one only if it had
   * been received: that file stays downloadable until its retention ends.
   */
  objectKey?: string;
}

export interface DocumentRequestKey {
  firmId: string;
  householdId: string;
  requestId: string;
}

/**
 * One item's change: the fields to set (undefined removes one) while the item is still in the status it was read in,
 * with what happened (audit) and, once the use case has said who, the events written in its transaction.
 */
export interface DocumentRequestChange {
  key: DocumentRequestKey;
  set: Partial<Pick<DocumentRequest, 'status' | 'updatedAt' | 'file' | 'reason' | 'pendingUpload' | 'objectKey'>>;
  when: { status: DocumentRequestStatus };
  audit?: Happening[] | undefined;
  events?: AuditEvent[] | undefined;
}

export type DocumentRequestTransition = Transition<DocumentRequest, DocumentRequestChange>;

/** At most this many items per request, so one call is one transaction with its Idempotency-Key claim. */
export const maxItemsPerCall = 50;
/** A checklist is read whole; this keeps it one or two Query pages. */
export const maxItemsPerHousehold = 200;

export interface DocumentRequestStore {
  /**
   * Saves new items and their events in one transaction; with the request's `marker`, a retry whose answer was lost
   * saves nothing twice.
   */
  add(items: DocumentRequest[], events: AuditEvent[], marker?: RequestMarker): Promise<void>;
  /** Events of something that changed no item (a download issued), each put once. */
  record(events: AuditEvent[]): Promise<void>;
  get(key: DocumentRequestKey): Promise<DocumentRequest | undefined>;
  /** The household's whole checklist, oldest first; `consistent` sees every write that has committed. */
  list(firmId: string, householdId: string, consistent?: boolean): Promise<DocumentRequest[]>;
  /**
   * Takes the household's one "every required document is received" email to send: true when it was not owed yet,
   * or is owed and its holder has been silent for `leaseMs` (crashed before sending); false when sent or held.
   */
  takeCompletionNotice(firmId: string, householdId: string, now: Date, leaseMs: number): Promise<boolean>;
  completionNoticeSent(firmId: string, householdId: string, at: string): Promise<void>;
  /** Writes the change and its events while the item is still as read; false when it moved on meanwhile. */
  apply(change: DocumentRequestChange): Promise<boolean>;
}

export const keyOf = ({ firmId, householdId, requestId }: DocumentRequestKey): DocumentRequestKey => ({ firmId, householdId, requestId });

/** The advisor asks for documents: new items, each `requested`, required unless said otherwise. */
export const requestDocuments = (
  household: { firmId: string; householdId: string },
  items: DocumentRequestItemInput[],
  by: string,
  now: Date,
  byEmail?: string,
): DocumentRequest[] => {
  const at = now.toISOString();
  return items.map((item) => ({
    firmId: household.firmId,
    householdId: household.householdId,
    requestId: newId(),
    title: item.title,
    ...(item.description !== undefined ? { description: item.description } : {}),
    required: item.required ?? true,
    status: 'requested',
    createdBy: by,
    ...(byEmail !== undefined ? { requestedByEmail: byEmail } : {}),
    createdAt: at,
    updatedAt: at,
  }));
};

/** What happened to an item: its id and status before and after, and what the server found of its file. */
export const documentHappening = (
  item: DocumentRequest,
  action: Happening['action'],
  at: string,
  to: DocumentRequestStatus,
  found: Pick<Happening, 'size' | 'contentType' | 'reason'> = {},
): Happening => ({ action, at, from: item.status, to, documentRequestId: item.requestId, ...found });

/** The advisor's new items, as happenings: each did not exist before. */
export const requestedHappenings = (items: DocumentRequest[]): Happening[] =>
  items.map((item) => ({ action: 'document.requested', at: item.createdAt, from: null, to: item.status, documentRequestId: item.requestId }));

const move = (
  item: DocumentRequest,
  set: DocumentRequestChange['set'] & { status: DocumentRequestStatus },
  action: Happening['action'],
  now: Date,
  effects: Effect[] = [],
): DocumentRequestTransition => {
  const fields = { ...set, updatedAt: now.toISOString() };
  const audit = [documentHappening(item, action, fields.updatedAt, set.status)];
  return { next: { ...item, ...fields }, change: { key: keyOf(item), set: fields, when: { status: item.status }, audit }, effects };
};

/** The file the item holds, deleted once the change commits: nothing refers to it any more. */
const deleteHeldFile = (item: DocumentRequest): Effect[] => (item.objectKey ? [{ kind: 'delete_file', key: item.objectKey }] : []);

/**
 * The advisor no longer needs the document: any item not already cancelled. A file received stays, downloadable,
 * until its retention ends (the firm keeps records it was given); a file still scanning was never received, so it is
 * deleted, and its scan's answer finds nothing to change.
 */
export const cancel = (item: DocumentRequest, now: Date): DocumentRequestTransition => {
  if (item.status === 'cancelled') throw conflict('The document request is already cancelled');
  // A form already given leads nowhere: a file posted with it finds the key no longer awaited, and is deleted.
  if (item.status !== 'scanning') return move(item, { status: 'cancelled', pendingUpload: undefined }, 'document.cancelled', now);
  return move(item, { status: 'cancelled', file: undefined, objectKey: undefined }, 'document.cancelled', now, deleteHeldFile(item));
};

/**
 * The advisor asks again (after a refused or infected upload, a cancellation, or for a better copy): the item is
 * `requested` with no file, and the file it held is deleted, since the next upload replaces it. Not while it waits
 * for its first upload or for its scan.
 */
export const reRequest = (item: DocumentRequest, now: Date): DocumentRequestTransition => {
  if (item.status === 'requested' || item.status === 'scanning') throw conflict(`The document request is already ${item.status}`);
  const cleared = { status: 'requested', file: undefined, reason: undefined, objectKey: undefined, pendingUpload: undefined } as const;
  return move(item, cleared, 'document.re_requested', now, deleteHeldFile(item));
};

/** When the bucket's lifecycle rule deletes a file: `retentionDays` after it was received (infra/cdk/document-storage.ts). */
export const retainUntil = (file: ReceivedFile, retentionDays: number): string =>
  new Date(Date.parse(file.receivedAt) + retentionDays * 86_400_000).toISOString();

/** An item as the API shows it: a file kept has the time its retention ends. */
export const documentRequestView = (item: DocumentRequest, retentionDays: number) => ({
  requestId: item.requestId,
  title: item.title,
  ...(item.description !== undefined ? { description: item.description } : {}),
  required: item.required,
  status: item.status,
  ...(item.reason !== undefined ? { reason: item.reason } : {}),
  createdAt: item.createdAt,
  updatedAt: item.updatedAt,
  ...(item.file ? { file: { ...item.file, ...(item.objectKey ? { retainUntil: retainUntil(item.file, retentionDays) } : {}) } } : {}),
});

export type DocumentRequestView = ReturnType<typeof documentRequestView>;

/** Whether every required item still asked for has its clean file: cancelled items are no longer asked for. */
export const allRequiredReceived = (items: DocumentRequest[]): boolean => {
  const required = items.filter((item) => item.required && item.status !== 'cancelled');
  return required.length > 0 && required.every((item) => item.status === 'received');
};

/** Whom the completion email goes to: the advisor who asked for the first required item, if their token said. */
export const completionRecipient = (items: DocumentRequest[]): string | undefined =>
  items.find((item) => item.required && item.requestedByEmail !== undefined)?.requestedByEmail;
