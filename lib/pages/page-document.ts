import { createHash } from 'node:crypto';
import { escapeHtml } from '../email/escape.ts';
import type { Reply } from '../http/response.ts';

// The one stylesheet, allowed by its hash: the page runs no script and loads nothing else.
const stylesheet = [
  'body{margin:0;background:#f4f6f8;color:#1a1a1a;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}',
  'main{max-width:34rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.12)}',
  'h1{font-size:1.5rem;line-height:1.25;margin:0 0 1rem}',
  'p{margin:0 0 1rem}',
  'h2{font-size:1.15rem;margin:1.5rem 0 .25rem}',
  'a{color:#1f4e79;font-weight:600}',
  'label{display:block;font-weight:600;margin-bottom:.25rem}',
  'input{box-sizing:border-box;width:100%;font:inherit;padding:.6rem .75rem;border:1px solid #767676;border-radius:6px}',
  'input:focus,button:focus{outline:3px solid #4d90fe;outline-offset:2px}',
  'button{margin-top:1rem;font:inherit;font-weight:600;color:#fff;background:#1f4e79;border:0;border-radius:6px;padding:.7rem 1.4rem;cursor:pointer}',
  '.hint{color:#555;font-size:.9rem;margin:.25rem 0 1rem}',
  '.error{color:#a4000f;font-weight:600}',
  '.firm{color:#555;font-size:.9rem;text-transform:uppercase;letter-spacing:.05em;margin-bottom:.5rem}',
].join('\n');

/**
 * A stylesheet's CSP source, for the security headers middleware (httpRoute's `page`). Computed on the first
 * page, not at import: hashing the stylesheet is work a cold start need not do.
 */
export const styleSource = (css: string): (() => string) => {
  let source: string | undefined;
  return () => (source ??= `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`);
};

export const pageStyleSrc = styleSource(stylesheet);

/** A page shows one person's state: never cached. The security headers come from the route's middleware. */
const pageHeaders = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

export const htmlType = 'text/html; charset=utf-8';

export interface PageContent {
  /** Plain text: escaped here. */
  title: string;
  /** Plain text: escaped here. */
  firm?: string | undefined;
  /** Already-escaped markup from `paragraph`, `form` and friends. */
  body: string[];
}

/** A paragraph of plain text; `attributes` is trusted markup written in this module's callers. */
export const paragraph = (text: string, attributes = ''): string => `<p${attributes}>${escapeHtml(text)}</p>`;

const documentOf = (content: PageContent): string =>
  [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex, nofollow">',
    `<title>${escapeHtml(content.title)} · Client portal</title>`,
    `<style>${stylesheet}</style>`,
    '</head>',
    '<body>',
    '<main>',
    ...(content.firm ? [`<p class="firm">${escapeHtml(content.firm)}</p>`] : []),
    `<h1>${escapeHtml(content.title)}</h1>`,
    ...content.body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');

export const pageReply = (status: number, content: PageContent, extraHeaders: Record<string, string> = {}): Reply => ({
  status,
  contentType: htmlType,
  body: documentOf(content),
  headers: { ...pageHeaders, ...extraHeaders },
});

/** Post/Redirect/Get: a form post answers 303 to the page, so reloading never resends the form. */
export const seeOther = (location: string): Reply => ({
  status: 303,
  contentType: htmlType,
  body: '',
  headers: { ...pageHeaders, location },
});
