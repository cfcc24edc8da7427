// The data the bench's requests act on, made through the handlers themselves (unmeasured), so every
// measured request finds exactly the state a real one would.
import { routes, type Route } from '../infra/routes.ts';
import { claimsOf, httpEvent, invoke, type Request } from './events.ts';
import { onCall } from './sdk-meter.ts';

export const routeOf = (method: string, path: string): Route => {
  const route = routes.find((r) => r.method === method && r.path === path);
  if (!route) throw new Error(`no route ${method} ${path}`);
  return route;
};

/** Calls a route and insists on the status a working request gets; its body as JSON, or as text for a page. */
export const call = async (method: string, path: string, request: Request, expected: number, as: 'json' | 'text' = 'json') => {
  const route = routeOf(method, path);
  const reply = await invoke(route, httpEvent(route, request));
  if (reply.statusCode !== expected) throw new Error(`${method} ${path} answered ${reply.statusCode}, not ${expected}: ${reply.body}`);
  return as === 'text' ? reply.body : JSON.parse(reply.body || 'null');
};

// Links only ever leave in emails; the bench reads them off the SES call the adapter makes.
// Invitation links and the portal's sign-in links, by the address they were sent to.
const links = new Map<string, string>();
const signInLinks = new Map<string, string>();
onCall((call, input) => {
  if (call !== 'SES.SendEmail') return;
  const message = input as { Destination?: { ToAddresses?: string[] }; Message?: { Body?: { Text?: { Data?: string } } } };
  const text = message.Message?.Body?.Text?.Data ?? '';
  const to = message.Destination?.ToAddresses?.[0];
  const invite = /\/invite\/([A-Za-z0-9_-]{43})/.exec(text)?.[1];
  const signIn = /\/portal\/sign-in\/([A-Za-z0-9_-]{43})/.exec(text)?.[1];
  if (invite && to) links.set(to, invite);
  if (signIn && to) signInLinks.set(to, signIn);
});

const accountNumberOf = (n: number) => `BENCH${String(n).padStart(9, '0')}`;

export interface Invited {
  householdId: string;
  invitationId: string;
  email: string;
  ticketId?: string;
  /** The number that verifies this client (client households only). */
  accountNumber?: string;
}

export class World {
  readonly advisor: Record<string, string>;
  readonly ops: Record<string, string>;
  private emails = 0;

  constructor(readonly firmId: string) {
    this.advisor = claimsOf('advisors', firmId);
    this.ops = claimsOf('ops', firmId);
  }

  /** The current link of the invitation emailed to `email`. */
  token(email: string): string {
    const token = links.get(email);
    if (!token) throw new Error(`no invite link was emailed to ${email}`);
    return token;
  }

  /** The sign-in link last mailed to `email` by POST /portal/sign-in. */
  signInToken(email: string): string {
    const token = signInLinks.get(email);
    if (!token) throw new Error(`no sign-in link was emailed to ${email}`);
    return token;
  }

  accountNumberFor(n: number) {
    return accountNumberOf(n);
  }

  newEmail(label: string) {
    this.emails += 1;
    return `${label}.${this.emails}.${this.firmId}@client.test`;
  }

  householdBody(n: number, withAccount: boolean) {
    return {
      name: `Household ${n}`,
      members: [{ firstName: 'Ada', lastName: 'Lovelace', email: `ada.${n}@client.test`, role: 'primary' }],
      accounts: withAccount ? [{ accountNumber: accountNumberOf(n), custodian: 'Custodian Bank' }] : [],
    };
  }

  async household(n: number, withAccount: boolean): Promise<string> {
    const body = await call('POST', '/households', { claims: this.advisor, body: this.householdBody(n, withAccount) }, 201);
    return body.household.householdId as string;
  }

  inviteRequest(householdId: string, email: string): Request {
    return { claims: this.advisor, params: { householdId }, body: { firstName: 'Grace', lastName: 'Hopper', email } };
  }

  async invite(householdId: string, label: string, accountNumber?: string): Promise<Invited> {
    const email = this.newEmail(label);
    const body = await call('POST', '/households/{householdId}/invitations', this.inviteRequest(householdId, email), 201);
    const { invitationId, verification } = body.invitation as { invitationId: string; verification: { ticketId?: string } };
    return { householdId, invitationId, email, ...(verification.ticketId ? { ticketId: verification.ticketId } : {}), ...(accountNumber ? { accountNumber } : {}) };
  }

  /** Waits (bounded) until the stack's ops function has turned each ticket request into a ticket. */
  async ticketsExist(ticketIds: string[], timeoutMs = 120_000) {
    const route = routeOf('GET', '/ops/tickets/{ticketId}');
    const deadline = Date.now() + timeoutMs;
    for (const ticketId of ticketIds) {
      for (;;) {
        const reply = await invoke(route, httpEvent(route, { claims: this.ops, params: { ticketId } }));
        if (reply.statusCode === 200) break;
        if (Date.now() > deadline) throw new Error(`ticket ${ticketId} was never raised`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
}
