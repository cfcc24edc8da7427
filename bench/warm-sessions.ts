// Warm recipes for the routes behind a page's session (the client portal, the ops console) and for the document
// checklist the portal uploads to: each session is made the way a browser gets one, through the routes themselves.
import { localOnlyRoutes } from '../infra/routes.ts';
import { call, type Invited, type World } from './world.ts';
import { httpEvent, invoke, type Reply, type Request } from './events.ts';

/**
 * Measures one route: its requests, the status that counts as working ('ok' is any below 400), what to keep, and how
 * many requests when not the usual number (warm-up included).
 */
export type Measure = (
  method: string,
  path: string,
  status: number | 'ok',
  request: (i: number) => Request,
  seen?: (body: any, i: number, reply: Reply) => void,
  requests?: number,
) => Promise<void>;

const pick = <T>(pool: T[], i: number): T => pool[i % pool.length]!;

/** What a browser's own post says of where it came from (lib/sessions/same-origin.ts). */
const ownOrigin = () => ({ origin: new URL(process.env.PORTAL_URL!).origin, 'sec-fetch-site': 'same-origin' });

/** `name=value` of each Set-Cookie that sets a value, as the browser sends it back. */
const cookiesOf = (reply: Reply): string[] => (reply.cookies ?? []).map((cookie) => cookie.split(';')[0]!).filter((cookie) => !cookie.endsWith('='));

/** A page's CSRF token, from its forms' hidden field. */
const csrfOf = (html: string): string => {
  const token = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('the page carries no CSRF token');
  return token;
};

/** A household's checklist item per request, cancelled, asked again, and left `requested` for the client's upload. */
export const measureDocuments = async (measure: Measure, world: World, households: string[], total: number): Promise<string[]> => {
  const { advisor } = world;
  const items: string[] = [];
  await measure(
    'POST',
    '/households/{householdId}/document-requests',
    200,
    (i) => ({ claims: advisor, params: { householdId: households[i]! }, body: { items: [{ title: `Statement ${i}`, required: true }] } }),
    (body: { items: { requestId: string; title: string }[] }, i) => items.push(body.items.find((item) => item.title === `Statement ${i}`)!.requestId),
  );
  const params = (i: number) => ({ householdId: households[i]!, requestId: items[i]! });
  await measure('POST', '/households/{householdId}/document-requests/{requestId}/cancel', 200, (i) => ({ claims: advisor, params: params(i) }));
  await measure('POST', '/households/{householdId}/document-requests/{requestId}/re-request', 200, (i) => ({ claims: advisor, params: params(i) }));
  return items.slice(0, total);
};

/**
 * The client portal: each accepted client asks for a sign-in link (from an address of its own, as clients do), opens
 * it and signs in; signed in, the portal page, an upload form for its household's item, then sign-out.
 */
export const measurePortal = async (measure: Measure, world: World, accepted: Invited[], uploads: string[]) => {
  const token = (i: number) => world.signInToken(accepted[i]!.email);
  const ask = (i: number): Request => ({ body: { email: accepted[i]!.email }, sourceIp: `10.${(i >> 8) & 255}.${i & 255}.9` });
  // Every answer waits out the same second, link or not, so this route is sampled 70 times (20 of them warm-up) and
  // the other clients' links are asked for fifty at a time, unmeasured.
  const sampled = Math.min(accepted.length, 70);
  await measure('POST', '/portal/sign-in', 202, ask, undefined, sampled);
  for (let start = sampled; start < accepted.length; start += 50) {
    await Promise.all(accepted.slice(start, start + 50).map((_, k) => call('POST', '/portal/sign-in', ask(start + k), 202)));
  }
  await measure('GET', '/portal/sign-in/{token}', 200, (i) => ({ params: { token: token(i) } }));
  await measure('HEAD', '/portal/sign-in/{token}', 200, (i) => ({ params: { token: token(i) } }));
  const sessions: string[][] = [];
  await measure('POST', '/portal/sign-in/{token}', 'ok', (i) => ({ params: { token: token(i) }, form: {}, headers: ownOrigin() }), (_body, _i, reply) =>
    sessions.push(cookiesOf(reply)),
  );
  const csrf: string[] = [];
  await measure('GET', '/portal', 200, (i) => ({ cookies: sessions[i]! }), (_body, _i, reply) => csrf.push(csrfOf(reply.body)));
  await measure('POST', '/portal/document-requests/{requestId}/upload', 200, (i) => ({
    cookies: sessions[i]!,
    params: { requestId: uploads[i]! },
    body: { name: 'statement.pdf', contentType: 'application/pdf' },
    headers: { ...ownOrigin(), 'x-csrf-token': csrf[i]! },
  }));
  await measure('POST', '/portal/sign-out', 'ok', (i) => ({ cookies: sessions[i]!, form: { csrf: csrf[i]! }, headers: ownOrigin() }));
};

/** An ops user's console session, through the local stack's own sign-in page (never deployed; not measured). */
const consoleSession = async (email: string): Promise<{ cookies: string[]; csrf: string }> => {
  const route = localOnlyRoutes.find((r) => r.method === 'POST')!;
  const signedIn = await invoke(route, httpEvent(route, { form: { email }, headers: ownOrigin() }));
  const cookies = cookiesOf(signedIn);
  if (signedIn.statusCode !== 303 || cookies.length === 0) throw new Error(`the local console sign-in answered ${signedIn.statusCode}`);
  const page = await call('GET', '/ops/console', { cookies }, 200, 'text');
  return { cookies, csrf: csrfOf(page as string) };
};

/** The ops console signed in: its queue and a ticket's page, then each ticket form, on tickets of their own. */
export const measureConsole = async (measure: Measure, world: World, toApprove: string[], toReject: string[]) => {
  const { cookies, csrf } = await consoleSession(`ops-bench.${world.firmId}@advisor-platform.test`);
  const post = (form: Record<string, string>) => ({ cookies, form: { csrf, ...form }, headers: ownOrigin() });
  await measure('GET', '/ops/console', 200, () => ({ cookies }));
  await measure('GET', '/ops/console/tickets/{ticketId}', 200, (i) => ({ cookies, params: { ticketId: pick(toApprove, i) } }));
  await measure('POST', '/ops/console/tickets/{ticketId}/claim', 303, (i) => ({ ...post({}), params: { ticketId: toReject[i]! } }));
  await measure('POST', '/ops/console/tickets/{ticketId}/release', 303, (i) => ({ ...post({}), params: { ticketId: toReject[i]! } }));
  const evidence = { method: 'phone', reference: 'call to the number on file', note: 'Identity confirmed by phone' };
  await measure('POST', '/ops/console/tickets/{ticketId}/approve', 303, (i) => ({ ...post(evidence), params: { ticketId: toApprove[i]! } }));
  await measure('POST', '/ops/console/tickets/{ticketId}/reject', 303, (i) => ({ ...post({ reason: 'Not known to the advisor' }), params: { ticketId: toReject[i]! } }));
  // Signing out ends the session, so each request signs out one of its own.
  const ending: { cookies: string[]; csrf: string }[] = [];
  for (let i = 0; i < toReject.length; i += 1) ending.push(await consoleSession(`ops-bench-${i}.${world.firmId}@advisor-platform.test`));
  await measure('POST', '/ops/console/sign-out', 303, (i) => ({ cookies: ending[i]!.cookies, form: { csrf: ending[i]!.csrf }, headers: ownOrigin() }));
};
