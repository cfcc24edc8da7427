// Requests about a household's document checklist (domain/document-request.ts).
import * as z from 'zod/mini';
import { maxItemsPerCall } from '../domain/document-request.ts';
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
