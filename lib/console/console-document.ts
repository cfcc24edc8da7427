// The console's page shell: one hashed stylesheet, no script, every value escaped by the callers' helpers.
import { escapeHtml } from '../email/escape.ts';
import type { Reply } from '../http/response.ts';
import { htmlType, styleSource } from '../pages/page-document.ts';
import { consolePaths } from './paths.ts';

const stylesheet = [
  'body{margin:0;background:#f4f6f8;color:#1a1a1a;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}',
  'header{display:flex;align-items:center;justify-content:space-between;gap:1rem;background:#1f4e79;color:#fff;padding:.6rem 1.5rem}',
  'header a{color:#fff;font-weight:600;text-decoration:none}',
  'header form{display:flex;align-items:center;gap:.75rem;margin:0}',
  'main{max-width:72rem;margin:1.5rem auto;padding:1.5rem 2rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.12)}',
  'h1{font-size:1.4rem;margin:0 0 1rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}',
  'p{margin:0 0 1rem}',
  'table{border-collapse:collapse;width:100%;margin:0 0 1rem}',
  'th,td{text-align:left;padding:.45rem .5rem;border-bottom:1px solid #dde2e7;vertical-align:top}',
  'th{font-size:.8rem;text-transform:uppercase;letter-spacing:.04em;color:#555}',
  'td form{display:inline;margin:0}td time{white-space:nowrap}',
  'dl{display:grid;grid-template-columns:12rem 1fr;gap:.35rem 1rem;margin:0 0 1rem}dt{color:#555}dd{margin:0}',
  'label{display:block;font-weight:600;margin:.5rem 0 .25rem}',
  'input,select,textarea{box-sizing:border-box;font:inherit;padding:.4rem .55rem;border:1px solid #767676;border-radius:6px;max-width:100%}',
  'textarea{width:100%;min-height:4rem}',
  'input:focus,select:focus,textarea:focus,button:focus,a:focus{outline:3px solid #4d90fe;outline-offset:2px}',
  'button{font:inherit;font-weight:600;color:#fff;background:#1f4e79;border:0;border-radius:6px;padding:.45rem 1rem;cursor:pointer}',
  'button.secondary{color:#1f4e79;background:#e8eef4}button.danger{background:#a4000f}',
  '.filters{display:flex;flex-wrap:wrap;align-items:flex-end;gap:.75rem;margin:0 0 1rem}.filters label{margin-top:0}',
  '.decisions{display:grid;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr));gap:1.5rem}',
  '.decisions form{border:1px solid #dde2e7;border-radius:8px;padding:1rem}',
  '.hint{color:#555;font-size:.85rem}',
  '.pages{display:flex;gap:1.5rem}',
  '.error{color:#a4000f;font-weight:600}.notice{color:#1e5e20;font-weight:600}',
  '.status{display:inline-block;padding:.05rem .5rem;border-radius:999px;background:#e8eef4;font-size:.85rem}',
].join('\n');

/** The stylesheet's CSP source, for pageSecurityHeaders; hashed on the first page, not at import. */
export const consoleStyleSrc = styleSource(stylesheet);

/** Text for markup: everything a ticket, a user or a query holds goes through this. */
export const text = (value: string | number): string => escapeHtml(String(value));

/** The signed-in user's bar: who they are and the sign-out form (a post, so it carries the CSRF token). */
export interface SignedIn {
  email: string | undefined;
  sub: string;
  csrfToken: string;
}

export interface ConsolePage {
  /** Plain text: escaped here. */
  title: string;
  /** Already-escaped markup. */
  body: string[];
  signedIn?: SignedIn | undefined;
}

export const hiddenCsrf = (csrfToken: string): string => `<input type="hidden" name="csrf" value="${text(csrfToken)}">`;

const headerOf = (signedIn: SignedIn | undefined): string =>
  [
    '<header>',
    `<a href="${consolePaths.queue}">Ops console</a>`,
    ...(signedIn
      ? [
          `<form method="post" action="${consolePaths.signOut}">`,
          `<span>${text(signedIn.email ?? signedIn.sub)}</span>`,
          hiddenCsrf(signedIn.csrfToken),
          '<button type="submit" class="secondary">Sign out</button>',
          '</form>',
        ]
      : []),
    '</header>',
  ].join('\n');

const documentOf = (page: ConsolePage): string =>
  [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex, nofollow">',
    `<title>${text(page.title)} · Ops console</title>`,
    `<style>${stylesheet}</style>`,
    '</head>',
    '<body>',
    headerOf(page.signedIn),
    '<main>',
    `<h1>${text(page.title)}</h1>`,
    ...page.body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');

/** A page shows one person's work and client data: never cached, never sent as a referrer. */
const consoleHeaders = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

export const consoleReply = (status: number, page: ConsolePage, cookies?: string[]): Reply => ({
  status,
  contentType: htmlType,
  body: documentOf(page),
  headers: consoleHeaders,
  ...(cookies ? { cookies } : {}),
});

/** Post/Redirect/Get, and every other hop of the console (sign-in, sign-out) the same way. */
export const redirect = (location: string, cookies?: string[]): Reply => ({
  status: 303,
  contentType: htmlType,
  body: '',
  headers: { ...consoleHeaders, location },
  ...(cookies ? { cookies } : {}),
});

export const alert = (message: string | undefined, kind: 'error' | 'notice' = 'error'): string[] =>
  message ? [`<p class="${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${text(message)}</p>`] : [];
