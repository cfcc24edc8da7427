// Requests about a household's document checklist (domain/document-request.ts).
import * as z from 'zod/mini';
import { maxItemsPerCall } from '../domain/document-request.ts';
import { acceptedTypes } from '../domain/document-upload.ts';
import { id, pure, stopWith, text } from './common.ts';

export const documentRequestItem = /* @__PURE__ */ pure(() =>
  z.strictObject({
    title: text(200),
    description: z.optional(text(2000)),
    required: z.optional(z.boolean()),
  }),
);

export const addDocumentRequestsBody = /* @__PURE__ */ pure(() =>
  z.strictObject({
    items: z
      .array(documentRequestItem)
      .check(
        z.minLength(1, stopWith('must list at least one item')),
        z.maxLength(maxItemsPerCall, stopWith(`must list at most ${maxItemsPerCall} items`)),
      ),
  }),
);

export const documentRequestParams = /* @__PURE__ */ pure(() => z.object({ householdId: id, requestId: id }));

export type DocumentRequestItemInput = z.output<typeof documentRequestItem>;

/** The file the client is about to upload, as the browser says: its type only picks the form's Content-Type. */
export const startUploadBody = /* @__PURE__ */ pure(() =>
  z.strictObject({
    name: text(200),
    contentType: z.enum(acceptedTypes),
  }),
);

export const uploadParams = /* @__PURE__ */ pure(() => z.object({ requestId: id }));
