// The document checklist's routes in the OpenAPI document (domain/document-request.ts).
import * as z from 'zod/mini';
import { maxItemsPerHousehold } from '../domain/document-request.ts';
import { id } from '../schemas/common.ts';
import { addDocumentRequestsBody, startUploadBody } from '../schemas/document-requests.ts';
import { isoTime } from '../schemas/invitations.ts';
import type { Operation } from './operations.ts';

export const documentRequestView = z.object({
  requestId: id,
  title: z.string(),
  description: z.optional(z.string()),
  required: z.boolean(),
  status: z.enum(['requested', 'scanning', 'received', 'rejected', 'infected', 'cancelled']),
  reason: z.optional(z.string().check(z.describe('Why the last upload was refused (rejected), or what its scan found (infected)'))),
  createdAt: isoTime,
  updatedAt: isoTime,
  file: z.optional(
    z
      .object({
        name: z.string(),
        size: z.number(),
        contentType: z.string(),
        receivedAt: isoTime,
        retainUntil: z.optional(
          isoTime.check(
            z.describe(
              'While the file is kept: when the retention period (receivedAt + the configured days, 365 by default) ends ' +
                "and the bucket's lifecycle rule deletes it; a download from then on is 410",
            ),
          ),
        ),
      })
      .check(z.describe('The uploaded file as the server found it once it landed')),
  ),
});

const checklist = z.object({ items: z.array(documentRequestView) });
const itemResponse = z.object({ item: documentRequestView });
const jsonErrors = ['validation_error', 'invalid_json', 'payload_too_large', 'unsupported_media_type', 'idempotency_key_reused'];

export const documentRequestOperations: Record<string, Operation> = {
  'POST /households/{householdId}/document-requests': {
    summary:
      `Ask the household's client for documents: 1 to 50 items added to its checklist, each \`requested\` and required ` +
      `unless \`required: false\` (at most ${maxItemsPerHousehold} items per household). Answers the whole checklist`,
    tag: 'advisor',
    body: addDocumentRequestsBody,
    response: { status: 200, schema: checklist, description: 'The checklist, oldest item first' },
    errors: ['not_found', 'conflict', ...jsonErrors],
  },
  'GET /households/{householdId}/document-requests': {
    summary:
      "A household's checklist, oldest item first: requested (waiting for an upload), scanning (uploaded, checked, " +
      'being scanned for malware), received (clean), rejected (too large or a refused type; deleted), infected (deleted), ' +
      'cancelled. A file kept says until when (`file.retainUntil`)',
    tag: 'advisor',
    response: { status: 200, schema: checklist, description: 'The checklist' },
    errors: ['not_found'],
  },
  'POST /households/{householdId}/document-requests/{requestId}/cancel': {
    summary:
      'The document is no longer needed: the item becomes cancelled (any status but cancelled). A file already received ' +
      'is kept, and can still be downloaded, until its retention ends; a file still being scanned is deleted',
    tag: 'advisor',
    response: { status: 200, schema: itemResponse, description: 'The item, cancelled' },
    errors: ['not_found', 'conflict', ...jsonErrors],
  },
  'POST /households/{householdId}/document-requests/{requestId}/re-request': {
    summary:
      'Ask for the document again, after a rejected or infected upload, a cancellation or for a better copy: the item ' +
      'is requested again with no file (not while it is requested or scanning). The file it held is deleted, since the ' +
      'next upload replaces it',
    tag: 'advisor',
    response: { status: 200, schema: itemResponse, description: 'The item, requested again' },
    errors: ['not_found', 'conflict', ...jsonErrors],
  },
  'GET /households/{householdId}/document-requests/{requestId}/download': {
    summary:
      'A link that downloads the received file for 5 minutes (an S3 presigned GET, as the name the client gave). Only a ' +
      'received file (also once its item is cancelled): one still scanning, rejected or infected (deleted) is 409. ' +
      "From the file's `retainUntil` on it is 410: the file was deleted after its retention period",
    tag: 'advisor',
    response: { status: 200, schema: z.object({ url: z.string(), expiresAt: isoTime }), description: 'The link and when it stops working' },
    errors: ['not_found', 'conflict', 'gone'],
  },
  'POST /portal/document-requests/{requestId}/upload': {
    summary:
      "The signed-in client's upload form for one of their household's items (requested, or rejected before): an S3 " +
      'presigned POST to a key the server chose, 1 byte to 25 MB, Content-Type as asked (PDF, JPEG, PNG or HEIC), for ' +
      '5 minutes. Only the portal page may ask: the session cookie, its origin and its CSRF token (header x-csrf-token). ' +
      'Nothing the browser says is taken: once the file lands the bucket event has its real size and first bytes checked ' +
      '(refused: rejected and deleted), then it is scanned for malware (received, or infected and deleted)',
    tag: 'client',
    body: startUploadBody,
    response: {
      status: 200,
      schema: z.object({ url: z.string(), fields: z.record(z.string(), z.string()), expiresAt: isoTime }),
      description: 'Post every field, then the file as `file`, to `url` (multipart/form-data)',
    },
    errors: ['unauthorized', 'forbidden', 'not_found', 'conflict', 'validation_error', 'invalid_json', 'payload_too_large', 'unsupported_media_type'],
  },
};
