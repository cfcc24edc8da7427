// What a client's upload may be, and what becomes of an item when its file lands and when its scan answers. The
// browser's word is never taken: the bucket's event says a file landed, and its size and first bytes say what it is.
import { conflict } from './errors.ts';
import { documentHappening, keyOf, type DocumentRequest, type DocumentRequestChange } from './document-request.ts';

export const maxUploadBytes = 25 * 1024 * 1024;

export const acceptedTypes = ['application/pdf', 'image/jpeg', 'image/png', 'image/heic'] as const;
export type AcceptedType = (typeof acceptedTypes)[number];

/** How many first bytes the type check reads. */
export const sniffBytes = 16;

const startsWith = (bytes: Uint8Array, signature: number[], at = 0) => signature.every((byte, index) => bytes[at + index] === byte);
const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));
// ISO base media files whose major brand is HEIF with HEVC (heic and its sequence and variants) or a generic HEIF image.
const heicBrands = ['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1'];

/** The accepted type a file's first bytes say it is, or none: its name and the browser's Content-Type count for nothing. */
export const sniffType = (bytes: Uint8Array): AcceptedType | undefined => {
  if (startsWith(bytes, ascii('%PDF-'))) return 'application/pdf';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, ascii('ftyp'), 4) && heicBrands.some((brand) => startsWith(bytes, ascii(brand), 8))) return 'image/heic';
  return undefined;
};

/** The server-chosen object key of one upload: under the household, so retention and deletion go by prefix. */
export const uploadKey = (item: Pick<DocumentRequest, 'firmId' | 'householdId' | 'requestId'>, uploadId: string): string =>
  `households/${item.firmId}/${item.householdId}/${item.requestId}/${uploadId}`;

/** The item an object key was issued for, or none for a key this service never chose. */
export const itemOfKey = (key: string): { firmId: string; householdId: string; requestId: string } | undefined => {
  const parts = key.split('/');
  if (parts.length !== 5 || parts[0] !== 'households' || parts.some((part) => part === '')) return undefined;
  const [, firmId, householdId, requestId] = parts as [string, string, string, string, string];
  return { firmId, householdId, requestId };
};

/** An item takes an upload while it waits for one, and again after one was refused. */
export const takesUpload = (item: DocumentRequest): boolean => item.status === 'requested' || item.status === 'rejected';

/** The client starts an upload: the item remembers the key it was given, and only a file at that key counts. */
export const startUpload = (item: DocumentRequest, upload: { key: string; name: string }, now: Date): DocumentRequestChange => {
  if (!takesUpload(item)) throw conflict(`This document is ${item.status}; it takes no upload now`);
  return { key: keyOf(item), set: { pendingUpload: upload, updatedAt: now.toISOString() }, when: { status: item.status } };
};

/** What to do once a file landed, or once its scan answered: the change to write, and whether to delete the file. */
export interface Outcome {
  change?: DocumentRequestChange;
  /** The file is not kept: refused, infected, or not the one the item waits for. */
  discard: boolean;
}

const ignored: Outcome = { discard: true };

/** A file landed at `key` with this size and these first bytes: refused (and deleted) or on to its scan. */
export const fileLanded = (item: DocumentRequest | undefined, landed: { key: string; size: number; firstBytes: Uint8Array }, now: Date): Outcome => {
  // A redelivered event of a file already taken (scanning, received): it stays.
  if (item?.objectKey === landed.key) return { discard: false };
  if (!item || !takesUpload(item) || item.pendingUpload?.key !== landed.key) return ignored;
  const at = now.toISOString();
  const refuse = (reason: string): Outcome => ({
    change: {
      key: keyOf(item),
      set: { status: 'rejected', reason, pendingUpload: undefined, updatedAt: at },
      when: { status: item.status },
      audit: [documentHappening(item, 'document.rejected', at, 'rejected', { size: landed.size, reason })],
    },
    discard: true,
  });
  if (landed.size > maxUploadBytes) return refuse('The file is larger than 25 MB');
  if (landed.size < 1) return refuse('The file is empty');
  const type = sniffType(landed.firstBytes);
  if (!type) return refuse('The file is not a PDF, JPEG, PNG or HEIC file');
  const file = { name: item.pendingUpload.name, size: landed.size, contentType: type, receivedAt: at };
  return {
    change: {
      key: keyOf(item),
      set: { status: 'scanning', file, objectKey: landed.key, reason: undefined, pendingUpload: undefined, updatedAt: at },
      when: { status: item.status },
      audit: [documentHappening(item, 'document.uploaded', at, 'scanning', { size: landed.size, contentType: type })],
    },
    discard: false,
  };
};

/**
 * The malware scan of the file at `key` answered: clean is received; anything else is infected and deleted. A file
 * the item neither holds nor waits for (re-requested or cancelled meanwhile, or refused) is deleted again, in case
 * the first delete failed.
 */
export const fileScanned = (item: DocumentRequest | undefined, scan: { key: string; clean: boolean }, now: Date): Outcome => {
  if (item?.objectKey !== scan.key && item?.pendingUpload?.key !== scan.key) return ignored;
  if (!item || item.status !== 'scanning' || item.objectKey !== scan.key) return { discard: false };
  const at = now.toISOString();
  const reason = 'The malware scan found a threat';
  return scan.clean
    ? {
        change: {
          key: keyOf(item),
          set: { status: 'received', updatedAt: at },
          when: { status: 'scanning' },
          audit: [documentHappening(item, 'document.received', at, 'received')],
        },
        discard: false,
      }
    : {
        change: {
          key: keyOf(item),
          set: { status: 'infected', reason, objectKey: undefined, updatedAt: at },
          when: { status: 'scanning' },
          audit: [documentHappening(item, 'document.infected', at, 'infected', { reason })],
        },
        discard: true,
      };
};

/** The bucket clients' files are kept in (lib/adapters/s3-documents.ts). */
export interface DocumentFiles {
  /** A browser form that uploads one file of `contentType`, 1 byte to 25 MB, to `key` only, until `expiresAt`. */
  uploadForm(key: string, contentType: AcceptedType, expiresAt: Date): Promise<{ url: string; fields: Record<string, string> }>;
  /** The object's real size and its first bytes; none once it is gone. */
  inspect(key: string): Promise<{ size: number; firstBytes: Uint8Array } | undefined>;
  remove(key: string): Promise<void>;
  /** Deletes every object whose key starts with `prefix` (a deleted household's), page by page; safe to repeat. */
  removeAll(prefix: string): Promise<void>;
  /** A link that downloads the object as `name`, until `expiresAt`. */
  downloadLink(key: string, name: string, expiresAt: Date): Promise<string>;
}
