// The portal page's one script: an item's upload form asks the portal for a presigned POST (JSON, with the session's
// CSRF token), posts the file straight to S3 with it, and reloads the page, whose statuses the bucket's own events
// decide. It is a file of its own, allowed by its hash (the <script> carries it as integrity), so the page's CSP
// still allows no inline script; connect-src allows the portal and the bucket's origin only.
import { createHash } from 'node:crypto';
import type { Reply } from '../http/response.ts';

export const uploadScript = `'use strict';
for (const form of document.querySelectorAll('form[data-upload]')) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const status = form.querySelector('[role=status]');
    const button = form.querySelector('button');
    const file = form.elements.file.files[0];
    if (!file) { status.textContent = 'Choose a file first.'; return; }
    button.disabled = true;
    status.textContent = 'Uploading…';
    try {
      const asked = await fetch(form.dataset.upload, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': form.elements.csrf.value },
        body: JSON.stringify({ name: file.name, contentType: file.type }),
      });
      const answer = await asked.json().catch(() => ({}));
      // 400 is the file's own name or type refused (validation_error); any other refusal is the page's state.
      if (asked.status === 400) throw new Error('This file is not accepted: choose a PDF, JPEG, PNG or HEIC file.');
      if (!asked.ok) throw new Error(answer.error?.message ?? 'The upload could not start. Reload the page and try again.');
      const body = new FormData();
      for (const [name, value] of Object.entries(answer.fields)) body.append(name, value);
      body.append('file', file);
      const sent = await fetch(answer.url, { method: 'POST', body });
      if (!sent.ok) throw new Error('The file was not accepted. Check its size (25 MB at most) and type, then try again.');
      location.reload();
    } catch (error) {
      status.textContent = error instanceof TypeError ? 'The upload failed. Check your connection and try again.' : error.message;
      button.disabled = false;
    }
  });
}
`;

let hash: string | undefined;
/** The script's SRI and CSP hash; computed on first use, not at import (a cold start need not). */
export const uploadScriptHash = (): string => (hash ??= `sha256-${createHash('sha256').update(uploadScript, 'utf8').digest('base64')}`);

/** GET /portal/upload.js. Its content changes only with a deployment, and the page names it by hash. */
export const uploadScriptReply = (): Reply => ({
  status: 200,
  contentType: 'text/javascript; charset=utf-8',
  body: uploadScript,
  headers: { 'cache-control': 'no-cache' },
});

/**
 * The origin the page's script posts files to: the local S3 server's, or in AWS the regional S3 endpoint's virtual
 * hosts (a presigned POST's url is https://<bucket>.s3.<region>.amazonaws.com/). The portal function is not given
 * the bucket's name (it signs nothing), hence the one wildcard label.
 */
export const uploadTargetSrc = (): string => {
  const local = process.env.AWS_ENDPOINT_URL_S3;
  if (local) return new URL(local).origin;
  return `https://*.s3.${process.env.AWS_REGION ?? 'us-east-1'}.amazonaws.com`;
};
