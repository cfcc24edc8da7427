// AWS calls per use case, counted by the SDK middleware, beside the fewest the design needs and why.
import { randomUUID } from 'node:crypto';
import { loadHandler } from '../infra/local/handlers.ts';
import { lambdaContext } from '../infra/local/lambda-context.ts';
import { ticketShards } from '../lib/adapters/dynamodb/keys.ts';
import { newId } from '../lib/domain/ids.ts';
import { httpEvent, invoke, sqsEvent, type Request } from './events.ts';
import { takeWindow, tally } from './sdk-meter.ts';
import { routeOf, World } from './world.ts';

type Counts = Record<string, number>;

// Minimums count kinds of call, as the bill and the design do: a write is a write, Put or TransactWrite.
const R = 'DynamoDB read';
const W = 'DynamoDB write';
const SES = 'SES send';
const SQS = 'SQS send';
/** Lifecycle events put on the bus (EventBridge in AWS, SNS on the local stack the bench runs on). */
const BUS = 'event bus publish';

const kindOf = (call: string): string => {
  if (/^DynamoDB\.(GetItem|Query|BatchGetItem|TransactGetItems)$/.test(call)) return R;
  if (call.startsWith('DynamoDB.')) return W;
  if (call === 'SES.SendEmail') return SES;
  if (call === 'SQS.SendMessageBatch' || call === 'SQS.SendMessage') return SQS;
  if (call === 'SNS.PublishBatch' || call === 'EventBridge.PutEvents') return BUS;
  return call;
};

interface UseCase {
  name: string;
  /** The fewest calls this design needs; the bench fails its smoke test if a change adds one. */
  minimum: Counts;
  why: string;
  /** Sets the stage (unmeasured) and returns the one action that is counted. */
  prepare(world: World): Promise<() => Promise<unknown>>;
}

export interface UseCaseFigures {
  name: string;
  /** Each AWS operation sent, as the API names it. */
  calls: Counts;
  made: Counts;
  minimum: Counts;
  why: string;
}

const http = (method: string, path: string, request: Request, status: number) => async () => {
  const route = routeOf(method, path);
  const reply = await invoke(route, httpEvent(route, request));
  if (reply.statusCode !== status) throw new Error(`${method} ${path} answered ${reply.statusCode}: ${reply.body.slice(0, 300)}`);
};

/** A queued ticket request as send-invitation writes it; the ops function takes its word for the ids. */
export const ticketRequest = (firmId: string, n: number) => ({
  version: 1,
  ticketId: newId(),
  reason: 'no_account',
  firmId,
  householdId: newId(),
  householdName: `Household ${n}`,
  invitationId: newId(),
  client: { firstName: 'Grace', lastName: 'Hopper', email: `grace.${n}@client.test` },
  requestedBy: 'advisors-1',
  requestedAt: new Date().toISOString(),
});

const clientInvitation = async (world: World, n: number) => {
  const householdId = await world.household(n, true);
  return world.invite(householdId, 'client', world.accountNumberFor(n));
};

const wrongNumber = (world: World, email: string, status: number) =>
  http('POST', '/portal/invitations/{token}/verify', { params: { token: world.token(email) }, body: { accountNumber: 'WRONG0000' } }, status);

export const useCases: UseCase[] = [
  {
    name: 'create a prospect household',
    minimum: { [W]: 2, [BUS]: 1 },
    why: 'one transaction: the conditional Put of the household item and its audit event; the event (household.created) published and one Update takes it out of the outbox',
    prepare: async (w) => http('POST', '/households', { claims: w.advisor, body: w.householdBody(1, false) }, 201),
  },
  {
    name: 'create a client household (1 account)',
    minimum: { [W]: 2, [BUS]: 1 },
    why: 'one transaction (the Put and its audit event), the event published and taken out of the outbox; the account-number key comes from Secrets Manager once per container, not per request',
    prepare: async (w) => http('POST', '/households', { claims: w.advisor, body: w.householdBody(2, true) }, 201),
  },
  {
    name: 'list households',
    minimum: { [R]: 1 },
    why: 'one Query on the firm index',
    prepare: async (w) => http('GET', '/households', { claims: w.advisor, query: { limit: '25' } }, 200),
  },
  {
    name: 'view a household',
    minimum: { [R]: 1 },
    why: 'one GetItem',
    prepare: async (w) => {
      const householdId = await w.household(3, false);
      return http('GET', '/households/{householdId}', { claims: w.advisor, params: { householdId } }, 200);
    },
  },
  {
    name: 'link an account',
    minimum: { [R]: 2, [W]: 2, [BUS]: 1 },
    why:
      'a Get (its status says whether this link converts a prospect, which the audit event records), one transaction: ' +
      'the conditional Update (status as read, number not yet linked, not full) and the event, then a consistent Get ' +
      'of what it became (a transaction returns no values); household.converted published and taken out of the outbox',
    prepare: async (w) => {
      const householdId = await w.household(4, false);
      return http('POST', '/households/{householdId}/accounts', { claims: w.advisor, params: { householdId }, body: { accountNumber: 'LINK0004' } }, 201);
    },
  },
  {
    name: 'invite a prospect',
    minimum: { [R]: 1, [W]: 3, [SES]: 1, [SQS]: 1, [BUS]: 1 },
    why:
      'Get the household (accounts decide the verification; its name goes on the ticket); one TransactWrite of invitation, link, ' +
      'lock and outboxed ticket request; the email and the ticket request in parallel; then one Update records what SES answered ' +
      'and clears the outbox entry - without it a crash after the write could not be told from a sent email',
    prepare: async (w) => {
      const householdId = await w.household(5, false);
      return http('POST', '/households/{householdId}/invitations', w.inviteRequest(householdId, w.newEmail('prospect')), 201);
    },
  },
  {
    name: 'invite a client',
    minimum: { [R]: 1, [W]: 3, [SES]: 1, [BUS]: 1 },
    why: 'as a prospect, without the ticket request',
    prepare: async (w) => {
      const householdId = await w.household(6, true);
      return http('POST', '/households/{householdId}/invitations', w.inviteRequest(householdId, w.newEmail('client')), 201);
    },
  },
  {
    name: 'list invitations',
    minimum: { [R]: 2 },
    why: "Get proves the household is the caller firm's (404 otherwise, not an empty list), then one Query",
    prepare: async (w) => {
      const invited = await clientInvitation(w, 7);
      return http('GET', '/households/{householdId}/invitations', { claims: w.advisor, params: { householdId: invited.householdId } }, 200);
    },
  },
  {
    name: 'resend an invitation',
    minimum: { [R]: 1, [W]: 2, [SES]: 1 },
    why: 'Get the invitation; one TransactWrite swaps the link; the email; the delivery Update as for an invite',
    prepare: async (w) => {
      const { householdId, invitationId } = await clientInvitation(w, 8);
      return http('POST', '/households/{householdId}/invitations/{invitationId}/resend', { claims: w.advisor, params: { householdId, invitationId } }, 200);
    },
  },
  {
    name: 'revoke an invitation',
    minimum: { [R]: 1, [W]: 1 },
    why: 'Get the invitation; one TransactWrite kills the link, frees the lock and cancels an open ticket',
    prepare: async (w) => {
      const { householdId, invitationId } = await clientInvitation(w, 9);
      return http('POST', '/households/{householdId}/invitations/{invitationId}/revoke', { claims: w.advisor, params: { householdId, invitationId } }, 200);
    },
  },
  {
    name: 'open an invite link',
    minimum: { [R]: 2 },
    why: 'the link is stored only as a hash: Get its pointer item, then Get the invitation it names',
    prepare: async (w) => {
      const invited = await clientInvitation(w, 10);
      return http('GET', '/portal/invitations/{token}', { params: { token: w.token(invited.email) } }, 200);
    },
  },
  {
    name: 'verify identity (right number)',
    minimum: { [R]: 3, [W]: 4, [BUS]: 1 },
    why: 'open the link (2 Gets), Get the household for its account hashes; the per-source throttle counts every compare and one of five attempts is reserved before comparing (two Updates, so no guess is ever free), then one transaction verifies (with its audit event), published and taken out of the outbox',
    prepare: async (w) => {
      const invited = await clientInvitation(w, 11);
      return http('POST', '/portal/invitations/{token}/verify', { params: { token: w.token(invited.email) }, body: { accountNumber: invited.accountNumber } }, 200);
    },
  },
  {
    name: 'verify identity (wrong number)',
    minimum: { [R]: 3, [W]: 2 },
    why: 'as above: the throttle counter and the reserved attempt, which is the whole record of a wrong number',
    prepare: async (w) => wrongNumber(w, (await clientInvitation(w, 12)).email, 422),
  },
  {
    name: 'verify identity (5th wrong number locks)',
    minimum: { [R]: 3, [W]: 4, [SQS]: 1, [BUS]: 1 },
    why: 'the throttle counter and the fifth reserved attempt, then the lock, the outboxed ticket request and the audit event in one TransactWrite, the event published and taken out of the outbox, then the request is queued',
    prepare: async (w) => {
      const { email } = await clientInvitation(w, 13);
      for (let attempt = 1; attempt < 5; attempt += 1) await wrongNumber(w, email, 422)();
      return wrongNumber(w, email, 423);
    },
  },
  {
    name: 'accept an invitation',
    minimum: { [R]: 2, [W]: 2, [BUS]: 1 },
    why: 'open the link (2 Gets); one TransactWrite accepts it, frees the live-invitation lock and writes the audit event, published and taken out of the outbox',
    prepare: async (w) => {
      const invited = await clientInvitation(w, 14);
      const token = w.token(invited.email);
      await http('POST', '/portal/invitations/{token}/verify', { params: { token }, body: { accountNumber: invited.accountNumber } }, 200)();
      return http('POST', '/portal/invitations/{token}/accept', { params: { token } }, 200);
    },
  },
  {
    name: 'list open tickets (every firm)',
    minimum: { [R]: ticketShards },
    why: 'one Query per shard of the status index, in parallel, merged oldest first: no Scan, and no partition takes every new ticket',
    prepare: async (w) => http('GET', '/ops/tickets', { claims: w.ops, query: { limit: '25' } }, 200),
  },
  {
    name: "list one firm's open tickets",
    minimum: { [R]: 1 },
    why: "one Query of the firm's open partition of the firm index",
    prepare: async (w) => http('GET', '/ops/tickets', { claims: w.ops, query: { firmId: w.firmId, limit: '25' } }, 200),
  },
  {
    name: 'claim a ticket',
    minimum: { [R]: 1, [W]: 1 },
    why: 'Get the ticket; one transaction takes it on condition it is still open and nobody holds it, and appends its audit event',
    prepare: async (w) => {
      const householdId = await w.household(18, false);
      const { ticketId } = await w.invite(householdId, 'claim');
      await w.ticketsExist([ticketId!]);
      return http('POST', '/ops/tickets/{ticketId}/claim', { claims: w.ops, params: { ticketId: ticketId! } }, 200);
    },
  },
  {
    name: 'approve a ticket',
    minimum: { [R]: 2, [W]: 4, [SES]: 1, [BUS]: 1 },
    why: 'Get the ticket and its invitation; one TransactWrite decides both and issues a fresh link; its two events (decided, verified) published in one call and each taken out of the outbox; the email; its delivery Update',
    prepare: async (w) => {
      const householdId = await w.household(15, false);
      const { ticketId } = await w.invite(householdId, 'approve');
      await w.ticketsExist([ticketId!]);
      const body = { evidence: { method: 'phone' } };
      return http('POST', '/ops/tickets/{ticketId}/approve', { claims: w.ops, params: { ticketId: ticketId! }, body }, 200);
    },
  },
  {
    name: 'reject a ticket',
    minimum: { [R]: 2, [W]: 2, [SES]: 1, [BUS]: 1 },
    why: 'Get the ticket and its invitation; one TransactWrite decides both; ticket.decided published and taken out of the outbox; the email to the advisor',
    prepare: async (w) => {
      const householdId = await w.household(16, false);
      const { ticketId } = await w.invite(householdId, 'reject');
      await w.ticketsExist([ticketId!]);
      return http('POST', '/ops/tickets/{ticketId}/reject', { claims: w.ops, params: { ticketId: ticketId! }, body: { reason: 'unknown client' } }, 200);
    },
  },
  {
    name: 'raise a ticket (ops function, 1 message)',
    minimum: { [R]: 2, [W]: 3, [SES]: 1, [BUS]: 1 },
    why: 'two Gets in parallel, the ticket and the invitation, so the pure decider sees both (a request for an invitation no longer live is filed cancelled; a ticket already emailed or decided writes nothing new); one transaction creates the ticket with its audit event, ticket.raised published and taken out of the outbox; the ops email; one write records that it went out, so no redelivery emails twice',
    prepare: async (w) => async () => {
      const handler = await loadHandler<(event: unknown, context: unknown) => Promise<{ batchItemFailures: unknown[] }>>('raise-verification-tickets');
      const event = sqsEvent([{ Body: JSON.stringify(ticketRequest(w.firmId, 17)) }]);
      const result = await handler(event, lambdaContext('raise-verification-tickets', randomUUID()));
      if (result.batchItemFailures.length > 0) throw new Error('the ops function failed its message');
    },
  },
  {
    name: 'sweep the outbox (nothing due)',
    minimum: { [R]: ticketShards + 5 },
    why:
      'one Query of each outbox-index partition for what is due: EXPIRING (links to remind or end), the outbox, EVENTS (lifecycle events left owed), NOTICES (advisor emails); ' +
      'one Count Query of the stuck partition for its alarm; and the SLA: the first open ticket of each shard of the status index, in parallel, per scheduled run',
    prepare: async () => {
      const handler = await loadHandler<(event: unknown, context: unknown) => Promise<unknown>>('sweep-outbox');
      const sweep = () => handler({ source: 'aws.events', 'detail-type': 'Scheduled Event' }, lambdaContext('sweep-outbox', randomUUID()));
      // The cases above leave advisor notices owed (the acceptance, the lock): an unmeasured run sends them first.
      await sweep();
      return async () => void (await sweep());
    },
  },
];

export const countUseCases = async (world: World, progress: (line: string) => void): Promise<UseCaseFigures[]> => {
  const figures: UseCaseFigures[] = [];
  for (const useCase of useCases) {
    const action = await useCase.prepare(world);
    takeWindow();
    await action();
    const { calls } = takeWindow();
    figures.push({ name: useCase.name, calls: tally(calls), made: tally(calls.map(kindOf)), minimum: useCase.minimum, why: useCase.why });
    progress(`calls: ${useCase.name}`);
  }
  return figures;
};
