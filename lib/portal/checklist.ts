// A household's document checklist on the portal page: each item's title, description, whether it is required and
// its status in plain words; an item waiting for a file (requested, or rejected) has its upload form, which the page's
// script (upload-script.ts) sends to S3. Cancelled items are no longer asked for and are not shown.
import type { DocumentRequest } from '../domain/document-request.ts';
import { escapeHtml } from '../email/escape.ts';
import { paragraph } from '../pages/page-document.ts';
import { portalPaths } from './paths.ts';

/** The file picker offers what the server accepts; the bucket's events still check the bytes that land. */
const accept = 'application/pdf,image/jpeg,image/png,image/heic,image/heif,.pdf,.jpg,.jpeg,.png,.heic,.heif';

const statusText = (item: DocumentRequest): string => {
  switch (item.status) {
    case 'requested':
      return 'Requested: waiting for your file.';
    case 'scanning':
      return 'Scanning: your file arrived and is being checked.';
    case 'received':
      return `Received${item.file ? `: ${item.file.name}` : ''}. Thank you.`;
    case 'rejected':
      return `Rejected: ${item.reason ?? 'the file could not be accepted'}. Please upload it again.`;
    case 'infected':
      return 'Infected: the malware scan flagged your file, so it was deleted. Please contact your advisor.';
    case 'cancelled':
      return 'No longer needed.';
  }
};

const takesUpload = (item: DocumentRequest) => item.status === 'requested' || item.status === 'rejected';

const uploadForm = (item: DocumentRequest, csrfToken: string): string => {
  const id = `file-${escapeHtml(item.requestId)}`;
  return [
    `<form method="post" data-upload="${escapeHtml(portalPaths.upload(item.requestId))}">`,
    `<input type="hidden" name="csrf" value="${escapeHtml(csrfToken)}">`,
    `<label for="${id}">File for ${escapeHtml(item.title)}</label>`,
    `<input id="${id}" type="file" name="file" accept="${accept}" required>`,
    '<p class="hint">PDF, JPEG, PNG or HEIC, 25 MB at most.</p>',
    `<button type="submit">Upload ${escapeHtml(item.title)}</button>`,
    '<p role="status" class="error"></p>',
    '</form>',
  ].join('\n');
};

const itemOf = (item: DocumentRequest, csrfToken: string): string =>
  [
    `<li data-request="${escapeHtml(item.requestId)}" data-status="${item.status}">`,
    `<h3>${escapeHtml(item.title)}</h3>`,
    ...(item.description ? [paragraph(item.description)] : []),
    paragraph(item.required ? 'Required' : 'Optional', ' class="hint"'),
    paragraph(statusText(item), item.status === 'rejected' || item.status === 'infected' ? ' class="error"' : ''),
    ...(takesUpload(item) ? [uploadForm(item, csrfToken)] : []),
    '</li>',
  ].join('\n');

export const checklist = (items: DocumentRequest[], csrfToken: string): string[] => {
  const asked = items.filter((item) => item.status !== 'cancelled');
  if (asked.length === 0) return [paragraph('Documents your advisor asks for will appear here.')];
  return [paragraph('Documents your advisor asks for:'), '<ul>', ...asked.map((item) => itemOf(item, csrfToken)), '</ul>'];
};
