// What the console tests share: a prospect's open ticket, and a console client over plain HTTP that keeps its
// cookie and sends what a browser's form would (Origin, the CSRF token read from the page).
import { apiUrl, call, newFirm, tokenFor } from '../support/api.ts';
import { eventually, uniqueEmail, waitForMail } from '../support/mail.ts';
import type { TicketView } from '../../lib/schemas/views.ts';

export interface OpenTicket {
  firm: string;
  firmName: string;
  ticketId: string;
  householdId: string;
  clientEmail: string;
  /** An ops token, for reading the ticket through the JSON API. */
  opsToken: string;
}

/** A prospect household invited by an advisor: the ops function files its ticket, which this waits for. */
export const prospectTicket = async (
  options: {
    firm?: string;
    firmName?: string;
    /** Who invites, and so raises the ticket: maker-checker keeps them from deciding it. */
    advisorSub?: string;
    firstName?: string;
    lastName?: string;
    household?: string;
    baseUrl?: string;
    mailUrl?: string;
  } = {},
): Promise<OpenTicket> => {
  const firm = options.firm ?? newFirm();
  const firmName = options.firmName ?? 'Harbor & Stone Wealth';
  const baseUrl = options.baseUrl ?? apiUrl();
  const advisor = await tokenFor('advisor', firm, { sub: options.advisorSub ?? `advisor-${firm}`, email: `advisor@${firm}.test`, firmName });
  const opsToken = await tokenFor('ops', firm, { sub: `ops-reader-${firm}` });
  const household = await call('POST', '/households', { token: advisor, baseUrl, body: { name: options.household ?? 'The Okafor Family' } });
  const clientEmail = uniqueEmail('console');
  const invited = await call('POST', `/households/${household.body.household.householdId}/invitations`, {
    token: advisor,
    baseUrl,
    body: { firstName: options.firstName ?? 'Ngozi', lastName: options.lastName ?? 'Okafor', email: clientEmail },
  });
  const ticketId = invited.body.invitation.verification.ticketId as string;
  await eventually(async () => ((await call('GET', `/ops/tickets/${ticketId}`, { token: opsToken, baseUrl })).status === 200 ? true : undefined));
  await waitForMail(clientEmail, 1, options.mailUrl);
  return { firm, firmName, ticketId, householdId: household.body.household.householdId, clientEmail, opsToken };
};

/** The ticket as the JSON API shows it, to check what a console form did. */
export const ticketStatus = async (ticket: OpenTicket, baseUrl = apiUrl()) =>
  (await call('GET', `/ops/tickets/${ticket.ticketId}`, { token: ticket.opsToken, baseUrl })).body.ticket as TicketView;

export interface Page {
  status: number;
  headers: Headers;
  text: string;
}

/** The CSRF token a console page put in its forms. */
export const csrfIn = (html: string): string => {
  const token = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no CSRF token on the page');
  return token;
};

/** A console user over HTTP: one session cookie, sent back on every request as a browser would. */
export class ConsoleClient {
  cookie: string | undefined;

  constructor(readonly baseUrl = apiUrl()) {}

  get origin(): string {
    return new URL(this.baseUrl).origin;
  }

  async request(method: 'GET' | 'POST', path: string, form?: Record<string, string>, headers: Record<string, string> = {}): Promise<Page> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...headers,
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  get = (path: string) => this.request('GET', path);

  /** A form post as the console's own page makes it: same origin, same-origin fetch metadata. */
  post = (path: string, form: Record<string, string>, headers: Record<string, string> = { origin: this.origin, 'sec-fetch-site': 'same-origin' }) =>
    this.request('POST', path, form, headers);

  /** Signs in on the local sign-in page as a member of the platform's ops team (no firm); keeps the session cookie. */
  async signIn(email: string): Promise<Page> {
    const answer = await this.post('/ops/console/local-sign-in', { email, next: '/ops/console' });
    const session = answer.headers.getSetCookie().find((cookie) => cookie.startsWith('__Host-ops_session='));
    if (answer.status !== 303 || !session) throw new Error(`local sign-in failed: ${answer.status} ${answer.text.slice(0, 200)}`);
    this.cookie = session.split(';')[0];
    return answer;
  }
}
