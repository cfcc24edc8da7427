// The traffic mix: what each virtual user does next, given what the API has answered so far, and the
// ledger of every POST's answers that reconciliation later checks against the table and the mail store.

/** The operations of the mix, as the report names them, and their relative weights. */
const weights = {
  'create household (no accounts)': 7,
  'create household (accounts)': 7,
  'invite prospect': 9,
  'invite client': 9,
  'verify right number': 8,
  'verify wrong number': 3,
  'approve ticket': 7,
  'list households': 6,
  'get household': 9,
  'list invitations': 9,
  'portal view': 11,
  'list tickets': 6,
} as const;
export type Op = keyof typeof weights;
export const ops = Object.keys(weights) as Op[];

export type Intent =
  | { op: 'createHousehold'; name: string; withAccounts: boolean }
  | { op: 'invite'; householdId: string; email: string; prospect: boolean }
  | { op: 'verify'; invitationId: string; right: boolean }
  | { op: 'approve'; ticketId: string };

export interface Answer {
  status: number;
  code?: string | undefined;
  /** The householdId or invitationId the answer names, where it names one. */
  id?: string | undefined;
  /** approve: whether the fresh-link email went out ("sent" | "send_failed"). */
  notification?: string | undefined;
  replayed: boolean;
}

/** One logical POST (one Idempotency-Key) and every answer it got, retries included. */
export interface LedgerEntry {
  key: string;
  intent: Intent;
  answers: Answer[];
}

export interface Planned {
  id: number;
  op: Op;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
  entry?: LedgerEntry;
  attempt: number;
  notBefore: number;
  invitation?: InvitationRef;
  /** The number a client household is created with, kept here since the API never returns it. */
  accountNumber?: string;
}

export interface Firm {
  firmId: string;
  advisor: string;
  ops: string;
}

interface HouseholdRef {
  firm: Firm;
  householdId: string;
  accountNumber?: string;
  invites: number;
}

interface InvitationRef {
  firm: Firm;
  householdId: string;
  invitationId: string;
  email: string;
  prospect: boolean;
  verified: boolean;
  wrongTried: boolean;
  busy: boolean;
}

/**
 * A client retries 503 (and an in-progress 409) with backoff for about 15 s, long enough to ride out a
 * DynamoDB restart; a 502 once, to see it replayed rather than redone.
 */
const maxAttempts = { unavailable: 7, emailFailed: 2 };
const backoffMs = (attempt: number) => Math.min(4_000, 250 * 2 ** attempt);

const parse = (text: string): any => {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
};

export class Mix {
  readonly ledger: LedgerEntry[] = [];
  private readonly households: HouseholdRef[] = [];
  private readonly invitations: InvitationRef[] = [];
  private readonly openTickets = new Map<string, Firm>();
  private readonly chosenTickets = new Set<string>();
  private readonly retries: Planned[] = [];
  private sequence = 0;

  constructor(
    private readonly firms: Firm[],
    /** The latest invite link token mailed to an address (fed by the mail watcher). */
    private readonly tokenFor: (email: string) => string | undefined,
    private readonly runId: string,
    /** Uniform in [0, 1); seeded, so a run can be repeated with --seed. */
    private readonly random: () => number,
  ) {}

  /** The next request to send: a retry that is due, else a fresh operation drawn from the mix. */
  next(now = Date.now()): Planned {
    const due = this.retries.findIndex((p) => p.notBefore <= now);
    if (due >= 0) return { ...this.retries.splice(due, 1)[0]!, id: ++this.sequence };
    // An operation whose prerequisites don't exist yet (no ticket to approve, say) sits this draw out.
    const candidates = ops.filter((op) => this.possible(op));
    let pick = this.random() * candidates.reduce((sum, op) => sum + weights[op], 0);
    const op = candidates.find((candidate) => (pick -= weights[candidate]) < 0) ?? 'list households';
    return this.plan(op);
  }

  /** Retries still owed at the end, soonest first, for the drain after the last stage. */
  takeRetries(): Planned[] {
    return this.retries.splice(0).sort((a, b) => a.notBefore - b.notBefore);
  }

  /** A request whose answer never came (client timeout, stage cut off) is retried like a 503. */
  abandoned(planned: Planned): void {
    if (planned.method === 'POST' && planned.attempt < maxAttempts.unavailable) this.retries.push({ ...planned, attempt: planned.attempt + 1, notBefore: Date.now() + 500 });
  }

  /** Learns from an answer: new ids for later operations, the ledger, and whether to retry. */
  record(planned: Planned, status: number, text: string, headers: Record<string, unknown>): { code?: string | undefined } {
    const body = parse(text);
    const code: string | undefined = body?.error?.code;
    const entry = planned.entry;
    if (entry) {
      const id = body?.household?.householdId ?? body?.invitation?.invitationId ?? body?.error?.details?.[0]?.invitationId;
      entry.answers.push({ status, code, id, notification: body?.notification, replayed: headers['idempotent-replayed'] === 'true' });
    }
    const retryable =
      (status === 503 && planned.attempt < maxAttempts.unavailable) ||
      (status === 409 && /still in progress/.test(body?.error?.message ?? '') && planned.attempt < maxAttempts.unavailable) ||
      (status === 502 && planned.attempt < maxAttempts.emailFailed);
    if (planned.method === 'POST' && retryable) {
      this.retries.push({ ...planned, attempt: planned.attempt + 1, notBefore: Date.now() + backoffMs(planned.attempt) });
      return { code };
    }
    this.learn(planned, status, body);
    return { code };
  }

  private learn(planned: Planned, status: number, body: any): void {
    const intent = planned.entry?.intent;
    if (intent?.op === 'createHousehold' && status === 201) {
      const firm = this.firms.find((f) => planned.headers.authorization === `Bearer ${f.advisor}`)!;
      const { accountNumber } = planned;
      this.households.push({ firm, householdId: body.household.householdId, ...(accountNumber ? { accountNumber } : {}), invites: 0 });
    }
    if (intent?.op === 'invite') {
      const invitationId: string | undefined = body?.invitation?.invitationId ?? body?.error?.details?.[0]?.invitationId;
      const household = this.households.find((h) => h.householdId === intent.householdId);
      if (invitationId && household && !this.invitations.some((i) => i.invitationId === invitationId)) {
        const { firm, householdId } = household;
        this.invitations.push({ firm, householdId, invitationId, email: intent.email, prospect: intent.prospect, verified: false, wrongTried: false, busy: false });
      }
    }
    if (intent?.op === 'verify' && planned.invitation) {
      planned.invitation.busy = false;
      if (status === 200) planned.invitation.verified = true;
      if (status === 422) planned.invitation.wrongTried = true;
    }
    if (planned.op === 'list tickets' && status === 200) {
      const firm = this.firms.find((f) => planned.headers.authorization === `Bearer ${f.ops}`)!;
      for (const ticket of body.items as { ticketId: string; status: string }[]) {
        if (ticket.status === 'open' && !this.chosenTickets.has(ticket.ticketId)) this.openTickets.set(ticket.ticketId, firm);
      }
    }
  }

  private possible(op: Op): boolean {
    switch (op) {
      case 'invite prospect':
        return this.households.some((h) => !h.accountNumber && h.invites < 2);
      case 'invite client':
        return this.households.some((h) => h.accountNumber && h.invites < 2);
      case 'verify right number':
      case 'verify wrong number':
        return this.verifiable(op === 'verify wrong number').length > 0;
      case 'approve ticket':
        return this.openTickets.size > 0;
      case 'get household':
        return this.households.length > 0;
      case 'list invitations':
        return this.households.some((h) => h.invites > 0);
      case 'portal view':
        return this.invitations.some((i) => this.tokenFor(i.email));
      default:
        return true;
    }
  }

  private verifiable(wrong: boolean): InvitationRef[] {
    // One wrong number at most per invitation: five would lock it and raise a ticket of another kind.
    return this.invitations.filter((i) => !i.prospect && !i.verified && !i.busy && (!wrong || !i.wrongTried) && this.tokenFor(i.email));
  }

  private one<T>(items: T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  private post(op: Op, path: string, auth: string | undefined, payload: unknown, intent: Intent): Planned {
    // The key names the run and the operation, so a retry can be told from a new request in the table.
    const key = `${this.runId}-${this.ledger.length + 1}`;
    const entry: LedgerEntry = { key, intent, answers: [] };
    this.ledger.push(entry);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': key };
    if (auth) headers.authorization = `Bearer ${auth}`;
    return { id: ++this.sequence, op, method: 'POST', path, headers, body: JSON.stringify(payload), entry, attempt: 1, notBefore: 0 };
  }

  private get(op: Op, path: string, auth?: string): Planned {
    return { id: ++this.sequence, op, method: 'GET', path, headers: auth ? { authorization: `Bearer ${auth}` } : {}, attempt: 1, notBefore: 0 };
  }

  private plan(op: Op): Planned {
    const firm = this.one(this.firms);
    switch (op) {
      case 'create household (no accounts)':
      case 'create household (accounts)': {
        const withAccounts = op === 'create household (accounts)';
        const name = `Load ${this.runId}-${this.ledger.length + 1}`;
        const accountNumber = String(1_000_000_000 + Math.floor(this.random() * 8_999_999_999));
        const payload = {
          name,
          members: [{ firstName: 'Lena', lastName: 'Load', role: 'primary' }],
          ...(withAccounts ? { accounts: [{ accountNumber, custodian: 'Pershing' }] } : {}),
        };
        const planned = this.post(op, '/households', firm.advisor, payload, { op: 'createHousehold', name, withAccounts });
        return withAccounts ? { ...planned, accountNumber } : planned;
      }
      case 'invite prospect':
      case 'invite client': {
        const prospect = op === 'invite prospect';
        const household = this.one(this.households.filter((h) => !h.accountNumber === prospect && h.invites < 2));
        household.invites += 1;
        const email = `client-${this.runId}-${this.ledger.length + 1}@load.test`;
        const intent: Intent = { op: 'invite', householdId: household.householdId, email, prospect };
        const payload = { firstName: 'Casey', lastName: 'Load', email };
        return this.post(op, `/households/${household.householdId}/invitations`, household.firm.advisor, payload, intent);
      }
      case 'verify right number':
      case 'verify wrong number': {
        const wrong = op === 'verify wrong number';
        const invitation = this.one(this.verifiable(wrong));
        invitation.busy = true;
        const household = this.households.find((h) => h.householdId === invitation.householdId)!;
        const accountNumber = wrong ? '9999999999' : household.accountNumber!;
        const intent: Intent = { op: 'verify', invitationId: invitation.invitationId, right: !wrong };
        const planned = this.post(op, `/portal/invitations/${this.tokenFor(invitation.email)}/verify`, undefined, { accountNumber }, intent);
        return { ...planned, invitation };
      }
      case 'approve ticket': {
        const [ticketId, ticketFirm] = this.one([...this.openTickets]);
        this.openTickets.delete(ticketId);
        this.chosenTickets.add(ticketId);
        const decision = { note: 'verified by phone (load run)', evidence: { method: 'phone', reference: 'load run' } };
        return this.post(op, `/ops/tickets/${ticketId}/approve`, ticketFirm.ops, decision, { op: 'approve', ticketId });
      }
      case 'get household': {
        const household = this.one(this.households);
        return this.get(op, `/households/${household.householdId}`, household.firm.advisor);
      }
      case 'list invitations': {
        const household = this.one(this.households.filter((h) => h.invites > 0));
        return this.get(op, `/households/${household.householdId}/invitations`, household.firm.advisor);
      }
      case 'portal view': {
        const invitation = this.one(this.invitations.filter((i) => this.tokenFor(i.email)));
        return this.get(op, `/portal/invitations/${this.tokenFor(invitation.email)}`);
      }
      case 'list tickets':
        // The ops desk's work list: open tickets of every firm, oldest first; whoever lists them approves them.
        return this.get(op, '/ops/tickets?limit=100', firm.ops);
      default:
        return this.get('list households', '/households?limit=25', firm.advisor);
    }
  }
}
